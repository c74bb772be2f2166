// A/B of the facade's hot path between two builds in one process (interleaved rounds, medians):
//   node bench/ab-hot-path.js /path/to/baseline/dist [iterations]
// Each case runs on an isolated collector of each build; ratios new/base below 1 are faster.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './harness.js';

const baseDist = path.resolve(process.argv[2] ?? 'dist');
const N = Number(process.argv[3] ?? 1_000_000);
const ROUNDS = 9;

// Each build's cases come from their own instance of ab-hot-path-cases.js (a query string per
// build): closures made from one source share V8's type feedback, which would mix the builds.
async function cases(dist, tag) {
  const { MetricsCollector } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
  const { makeCases } = await import(`./ab-hot-path-cases.js?build=${tag}`);
  return makeCases(new MetricsCollector({ isolated: true }));
}

const builds = { base: await cases(baseDist, 'base'), new: await cases(path.resolve('dist'), 'new') };
const samples = {};
for (const b of Object.keys(builds)) for (const c of Object.keys(builds[b])) builds[b][c](100_000);
for (let r = 0; r < ROUNDS; r++) {
  for (const c of Object.keys(builds.base)) {
    for (const b of r % 2 ? ['new', 'base'] : ['base', 'new']) {
      const t0 = process.hrtime.bigint();
      builds[b][c](N);
      ((samples[c] ??= {})[b] ??= []).push(Number(process.hrtime.bigint() - t0) / N);
    }
  }
}
for (const [c, s] of Object.entries(samples)) {
  const b = median(s.base);
  const n = median(s.new);
  console.log(`${c.padEnd(24)} base ${b.toFixed(1).padStart(6)} ns  new ${n.toFixed(1).padStart(6)} ns  new/base ${(n / b).toFixed(2)}`);
}
