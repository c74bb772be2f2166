// The facade's hot path with the views code against a build without it, in one process:
//   node test/views/bench-views.mjs /path/to/base/dist [/path/to/head/dist (default: dist/)]
// (the base: `git archive <commit> | tar -x -C DIR`, node_modules linked, `npx tsc -p tsconfig.json`).
// Also a counter whose view drops an attribute: a repeated call set is a trie hit as before.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCases, fmt, printTable } from '../../bench/harness.js';

const N = Number(process.env.BENCH_ITERATIONS ?? 1_000_000);
const base = await import(pathToFileURL(path.resolve(process.argv[2], 'index.js')).href);
const headDir = process.argv[3] ? pathToFileURL(path.resolve(process.argv[3]) + '/').href : new URL('../../dist/', import.meta.url).href;
const head = await import(headDir + 'index.js');
const { setViews } = await import(headDir + 'metrics/views.js');
setViews([{ selector: { instrumentName: 'v.*' }, stream: { attributeKeys: { excluded: ['status'] } } }]);

const pair = { base: new base.MetricsCollector({ isolated: true }), views: new head.MetricsCollector({ isolated: true }) };
// BENCH_ORDER=views-first defines (and so warms and runs) the views build's cases first: order effects show.
const collectors = process.env.BENCH_ORDER === 'views-first' ? { views: pair.views, base: pair.base } : pair;
const cases = {};
for (const [k, m] of Object.entries(collectors)) {
  const bound = m.counter('bound', { method: 'GET' });
  cases[`counter, no attrs [${k}]`] = (n) => {
    for (let i = 0; i < n; i++) m.incrementCounter('c.none');
  };
  cases[`gauge [${k}]`] = (n) => {
    for (let i = 0; i < n; i++) m.recordGauge('g.none', i);
  };
  cases[`counter, 2 attrs [${k}]`] = (n) => {
    for (let i = 0; i < n; i++) m.incrementCounter('c.attrs', 1, { method: 'GET', status: i & 1 ? '200' : '500' });
  };
  cases[`histogram, 2 attrs [${k}]`] = (n) => {
    for (let i = 0; i < n; i++) m.recordHistogram('h.attrs', i % 1000, { method: 'GET', status: i & 1 ? '200' : '500' });
  };
  cases[`bound handle [${k}]`] = (n) => {
    for (let i = 0; i < n; i++) bound.add(1);
  };
}
const viewed = collectors.views;
cases['counter, 2 attrs, view drops one [views]'] = (n) => {
  for (let i = 0; i < n; i++) viewed.incrementCounter('v.attrs', 1, { method: 'GET', status: i & 1 ? '200' : '500' });
};

const r = runCases(cases, { iterations: N, repeats: 7 });
const rows = Object.keys(cases)
  .filter((k) => k.endsWith('[base]'))
  .map((k) => {
    const v = k.replace('[base]', '[views]');
    return [k.replace(' [base]', ''), fmt(r[k].median), fmt(r[v].median), (r[v].median / r[k].median).toFixed(2) + '×'];
  });
rows.push([
  'counter, 2 attrs, view drops one',
  '',
  fmt(r['counter, 2 attrs, view drops one [views]'].median),
  (r['counter, 2 attrs, view drops one [views]'].median / r['counter, 2 attrs [views]'].median).toFixed(2) + '× (of no view)',
]);
printTable(`facade hot path, median of 7 × ${N.toLocaleString('en')} calls: base, with views code, ratio`, rows);
if (process.env.BENCH_JSON) console.log(JSON.stringify(Object.fromEntries(rows.map((row) => [row[0], parseFloat(row[3])]))));
