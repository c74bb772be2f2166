// One table of every figure from bench/results.json against its goal (issue 7).
//   node bench/summary.js   (npm run bench runs it last)
import { readFileSync } from 'node:fs';
import { RESULTS } from './harness.js';

const r = JSON.parse(readFileSync(RESULTS, 'utf8'));
const m = r.metrics?.nsPerOp ?? {};
const med = (k) => m[k]?.median;
const rows = [];
const add = (figure, value, anchor, ratio, goal, ok) =>
  rows.push([figure, value, anchor, ratio === undefined ? '' : `${ratio.toFixed(2)}×`, goal, ok === undefined ? '' : ok ? 'met' : 'MISSED']);
const ns = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ns`);

if (r.metrics) {
  const pairs = [
    ['incrementCounter(name)', 'counter, no attrs: facade', 'counter, no attrs: prom-client', 1, '≤ 1× prom-client'],
    ['recordGauge(name, v)', 'gauge: facade', 'gauge: prom-client', 1, '≤ 1× prom-client'],
    ['incrementCounter, 2 attributes', 'counter, 2 attrs: facade', 'counter, 2 attrs: prom-client', 1, '≤ 1× prom-client inc(labels)'],
    ['bound counter handle add()', 'counter, bound handle: facade', 'floor: obj.n++', 5, '≤ 5× obj.n++'],
    ['recordHistogram, 2 attributes', 'histogram, 2 attrs: facade', 'histogram, 2 attrs: prom-client', 1, '≤ 1× prom-client observe'],
    ['histogram in span, exemplars on', 'histogram in a sampled span, exemplars on', 'histogram in a sampled span, exemplars off', 1.1, '≤ 1.1× without'],
  ];
  for (const [fig, a, b, lim, goal] of pairs) {
    const x = med(a);
    const y = med(b);
    add(fig, ns(x), `${ns(y)} (${b.split(': ').pop()})`, x / y, goal, x / y <= lim);
  }
  add('counter add vs raw OTel SDK', ns(med('counter, 2 attrs: facade')), ns(med('counter, 2 attrs: raw OTel')), med('counter, 2 attrs: facade') / med('counter, 2 attrs: raw OTel'), '≤ 1.1× raw OTel', med('counter, 2 attrs: facade') / med('counter, 2 attrs: raw OTel') <= 1.1);
}
if (r.tracker) {
  const t = r.tracker;
  add('tracked sync call', ns(t.nsPerOp['tracked wrapper (trackPerformance(fn))']), ns(t.nsPerOp['raw startActiveSpan + histogram.record']), t.trackedVsRaw, '≤ 1.15× raw span+record', t.trackedVsRaw <= 1.15);
}
if (r.logger) {
  const l = r.logger;
  add('log line, correlated (speed)', '', 'pino + instrumentation-pino', l.speedVsInstrumentedPino, '≥ 0.9×', l.speedVsInstrumentedPino >= 0.9);
  add('log line vs winston (speed)', '', 'winston', l.speedVsWinston, '≥ 3×', l.speedVsWinston >= 3);
  add('sampled-out line (cost)', '', 'written line', l.sampledOutVsWritten, '≤ 0.1×', l.sampledOutVsWritten <= 0.1);
}
if (r.scrape) {
  for (const kind of ['counter', 'histogram']) {
    const s = r.scrape[kind];
    if (s) add(`scrape 10k ${kind} series`, `${(s.ours.median / 1e6).toFixed(1)} ms`, `${(s.prom.median / 1e6).toFixed(1)} ms (prom-client)`, s.ours.median / s.prom.median, '≤ 1× prom-client', s.ours.median <= s.prom.median);
  }
}
if (r.http) {
  add('/health/live req/s', `${Math.round(r.http.liveRps)}`, `${Math.round(r.http.bareRps)} (bare node:http)`, r.http.ratio, '≥ 0.8×', r.http.ratio >= 0.8);
}
if (r.startup) {
  const w = r.startup.wallMs;
  const s = r.startup.peakRssMb;
  add('start-up added, -e 0', `+${(w.register - w.bare).toFixed(0)} ms`, `${w.bare.toFixed(0)} ms (bare)`, undefined, '≤ +100 ms', w.register - w.bare <= 100);
  add('RSS added, -e 0', `+${(s.register - s.bare).toFixed(1)} MB`, `${s.bare.toFixed(1)} MB (bare)`, undefined, '≤ +20 MB', s.register - s.bare <= 20);
  add('stderr at start-up', r.startup.stderrEmpty ? 'empty' : 'NOT empty', '', undefined, 'nothing', r.startup.stderrEmpty);
}
if (r.cluster) {
  const c = r.cluster;
  if (c.ratio !== undefined) add('scrape 4 workers × 1k vs 1 × 4k', '', '', c.ratio, '≤ 2×', c.ratio <= 2);
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((x) => String(x[i]).length), 6));
const head = ['figure', 'ours', 'anchor', 'ratio', 'goal', 'status'];
const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
console.log(`\nSummary (${r.machine?.node}, ${r.machine?.cpus} cores, ${r.machine?.date})`);
console.log(line(head));
console.log('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
for (const row of rows) console.log(line(row));
