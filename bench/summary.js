// Every figure of bench/results.json against its goal, per section with the date, machine and
// Node version it was measured on (bench/goals.js).
//   node bench/summary.js   (npm run bench runs it last)
import { readFileSync } from 'node:fs';
import { RESULTS } from './harness.js';
import { evaluate, describeRun, fmtRatio, fmtStatus } from './goals.js';

const sections = evaluate(JSON.parse(readFileSync(RESULTS, 'utf8')));
const head = ['figure', 'ours', 'anchor', 'ratio', 'goal', 'status'];
const cells = (r) => [r.figure, r.ours, r.anchor, fmtRatio(r.ratio), r.goal, fmtStatus(r.met)];
const all = sections.flatMap((s) => s.rows.map(cells));
const widths = head.map((h, i) => Math.max(h.length, ...all.map((c) => String(c[i]).length)));
const line = (c) => '| ' + c.map((x, i) => String(x).padEnd(widths[i])).join(' | ') + ' |';
for (const s of sections) {
  console.log(`\n${s.title} (${s.command}): ${describeRun(s.run)}`);
  console.log(line(head));
  for (const r of s.rows) console.log(line(cells(r)));
}
const missed = sections.flatMap((s) => s.rows.filter((r) => r.met === false).map((r) => `${s.title}: ${r.figure}`));
const goals = sections.flatMap((s) => s.rows.filter((r) => r.met !== undefined)).length;
console.log(`\n${goals - missed.length} of ${goals} goals met${missed.length ? `; MISSED: ${missed.join('; ')}` : ''}`);
