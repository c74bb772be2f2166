// Start-up cost of `node --import ./register -e 0` vs bare node, with hyperfine (Debian
// package) when present, else a simple timed loop; peak RSS from /usr/bin/time; stderr checked.
//   node bench/startup.js
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { ROOT } from '../test/helpers.js';
import { median, printTable, saveSection } from './harness.js';

const env = { ...process.env, MONITORING_PORT: '0' };
const cases = {
  bare: 'node -e 0',
  register: 'node --import ./register -e 0',
  'register, ESM entry': 'node --import ./register bench/fixtures/empty.mjs',
};

/**
 * The configuration file's cost: the same settings given as the file and as the environment, interleaved
 * run by run (hyperfine runs one command's runs together, and a few ms is less than the drift
 * between two of its blocks on a shared machine); medians of 21 runs each after 3 warm-ups.
 */
const FILE_EQUIVALENT_ENV = {
  ...env,
  OTEL_SERVICE_NAME: 'bench-app',
  OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=development',
  OTEL_PROPAGATORS: 'tracecontext,baggage',
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces',
  OTEL_TRACES_SAMPLER: 'always_off',
  MONITORING_HOST: '127.0.0.1',
};

function configFile() {
  const file = { ...env, OTEL_CONFIG_FILE: 'bench/fixtures/config.yaml' };
  const runs = { 'register, via env': [], 'register, configuration file': [] };
  for (let i = 0; i < 24; i++) {
    for (const [k, e] of [
      ['register, via env', FILE_EQUIVALENT_ENV],
      ['register, configuration file', file],
    ]) {
      const t0 = process.hrtime.bigint();
      spawnSync(process.execPath, ['--import', './register', '-e', '0'], { cwd: ROOT, env: e, stdio: 'ignore' });
      if (i >= 3) runs[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([k, t]) => [k, median(t)]));
}

function hyperfine() {
  const json = '/tmp/startup-hyperfine.json';
  execFileSync('hyperfine', ['-N', '-w', '3', '-r', '20', '--export-json', json, ...Object.values(cases)], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
  const r = JSON.parse(readFileSync(json, 'utf8')).results;
  rmSync(json);
  return Object.fromEntries(Object.keys(cases).map((k, i) => [k, r[i].median * 1000]));
}

function loop() {
  const out = {};
  for (const [k, cmd] of Object.entries(cases)) {
    const [bin, ...args] = cmd.split(' ');
    const t = [];
    for (let i = 0; i < 15; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync(bin === 'node' ? process.execPath : bin, args, { cwd: ROOT, env });
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    out[k] = median(t);
  }
  return out;
}

function peakRssMb(cmd, runEnv = env) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...cmd.split(' ').map((x) => (x === 'node' ? process.execPath : x))], {
    cwd: ROOT,
    env: runEnv,
    encoding: 'utf8',
  });
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

const tool = existsSync('/usr/bin/hyperfine') ? 'hyperfine, 20 runs after 3 warm-ups' : 'a timed loop of 15 runs';
const wall = { ...(tool.startsWith('hyperfine') ? hyperfine() : loop()), ...configFile() };
const rssCases = {
  ...Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, [c, env]])),
  'register, via env': ['node --import ./register -e 0', FILE_EQUIVALENT_ENV],
  'register, configuration file': ['node --import ./register -e 0', { ...env, OTEL_CONFIG_FILE: 'bench/fixtures/config.yaml' }],
};
const rss = Object.fromEntries(Object.entries(rssCases).map(([k, [c, e]]) => [k, existsSync('/usr/bin/time') ? peakRssMb(c, e) : NaN]));
const stderr = spawnSync(process.execPath, ['--import', './register', '-e', '0'], { cwd: ROOT, env, encoding: 'utf8' }).stderr;
const fileStderr = spawnSync(process.execPath, ['--import', './register', '-e', '0'], {
  cwd: ROOT,
  env: { ...env, OTEL_CONFIG_FILE: 'bench/fixtures/config.yaml' },
  encoding: 'utf8',
}).stderr;
const rows = Object.keys(rssCases).map((k) => [
  k,
  `${wall[k].toFixed(1)} ms`,
  k === 'bare' ? '' : `+${(wall[k] - wall.bare).toFixed(1)} ms`,
  `${rss[k].toFixed(1)} MB`,
  k === 'bare' ? '' : `+${(rss[k] - rss.bare).toFixed(1)} MB`,
]);
printTable('start-up (median wall, peak RSS)', rows);
console.log(`  stderr of --import ./register -e 0: ${stderr === '' ? '(empty)' : JSON.stringify(stderr)}`);
console.log(`  stderr with the configuration file: ${fileStderr === '' ? '(empty)' : JSON.stringify(fileStderr)}`);
saveSection('startup', { tool, wallMs: wall, peakRssMb: rss, stderrEmpty: stderr === '', fileStderrEmpty: fileStderr === '' });
