// Start-up cost of the configuration file: `node --import ./register -e 0` of this checkout
// without a file, with test/config/fixtures/startup.yaml, and of a checkout built without the
// configuration module (BASE=<dir>, optional), interleaved, medians of RUNS (default 30) runs
// each; then the file's read + validate + resolve alone, in process (median of 30 fresh processes).
//   node test/config/bench-startup.mjs            BASE=/tmp/base node test/config/bench-startup.mjs
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = path.join(ROOT, 'test/config/fixtures/startup.yaml');
const RUNS = Number(process.env.RUNS ?? 30);
const env = { PATH: process.env.PATH, MONITORING_PORT: '0', MONITORING_HEALTH_INTERVAL_MS: '0' };

const cases = [
  ['no file', ROOT, env],
  ['file', ROOT, { ...env, OTEL_CONFIG_FILE: FILE }],
  ...(process.env.BASE ? [['no file, before src/config', process.env.BASE, env]] : []),
];
const times = Object.fromEntries(cases.map(([name]) => [name, []]));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < RUNS + 2; i++) {
  for (const [name, cwd, e] of cases) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', './register', '-e', '0'], { cwd, env: e, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0 || r.stderr) throw new Error(`${name}: ${r.status} ${r.stderr}`);
    if (i >= 2) times[name].push(ms);
  }
}
const out = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));

const inProcess = [];
for (let i = 0; i < 30; i++) {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `const t0 = performance.now(); const c = require('./dist/cjs/config/index.js').resolveConfig({ ...process.env, OTEL_CONFIG_FILE: ${JSON.stringify(FILE)} });
       if (c.invalid) throw new Error(c.invalid.message); process.stdout.write(String(performance.now() - t0));`,
    ],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  inProcess.push(Number(r.stdout));
}
out['read + validate + resolve the file (in process)'] = Math.round(median(inProcess) * 100) / 100;
console.log(JSON.stringify({ runs: RUNS, medianMs: out }, null, 1));
