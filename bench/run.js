// `npm run bench`: every benchmark script in this folder, one after the other (never in
// parallel: they measure time), each writing its section of bench/results.json. When all
// succeed: the summary, and docs/performance.md regenerated (bench/readme.js). When one fails:
// which ones, and exit code 1 (results.json keeps their sections from an earlier run).
// `node bench/run.js logger.js http.js` runs only those.
import { spawnSync } from 'node:child_process';

const ALL = [
  'metrics.js',
  'tracker.js',
  'logger.js',
  'scrape.js',
  'serialize.js',
  'http.js',
  'startup.js',
  'coverage.js',
  'cluster.js',
  'scale.js',
];
const scripts = process.argv.length > 2 ? process.argv.slice(2) : ALL;
const failed = [];
for (const s of scripts) {
  console.log(`\n=== bench/${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', new URL(`./${s}`, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0)
    failed.push(`bench/${s} (${r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`})`);
}
if (failed.length > 0) {
  console.error(
    `\nbench FAILED: ${failed.join(', ')}.\nbench/results.json keeps those sections from their previous run; no summary, docs/performance.md left as it was.`,
  );
  process.exit(1);
}
for (const s of ['summary.js', 'readme.js']) {
  const r = spawnSync(process.execPath, [new URL(`./${s}`, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\nbench FAILED: bench/${s} (exit code ${r.status})`);
    process.exit(1);
  }
}
console.log('\nresults written to bench/results.json and docs/performance.md');
