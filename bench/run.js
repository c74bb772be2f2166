// `npm run bench`: every benchmark script in this folder, one after the other (never in
// parallel: they measure time), each writing its section of bench/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const scripts = ['metrics.js', 'tracker.js', 'logger.js', 'scrape.js', 'http.js', 'startup.js', 'cluster.js'];
let failed = 0;
for (const s of scripts) {
  const file = new URL(`./${s}`, import.meta.url);
  if (!existsSync(file)) continue;
  console.log(`\n=== bench/${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', file.pathname], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
spawnSync(process.execPath, [new URL('./summary.js', import.meta.url).pathname], { stdio: 'inherit' });
console.log('\nresults written to bench/results.json');
process.exit(failed ? 1 : 0);
