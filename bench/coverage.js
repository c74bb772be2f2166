// Instrumentation coverage at start-up: `node -e 0` and an app that loads express, pg, mysql2,
// amqplib and graphql (bench/fixtures/coverage-app.cjs), each under bare node, our register,
// @opentelemetry/auto-instrumentations-node/register and @elastic/opentelemetry-node (EDOT),
// side by side in one run: time to the app's first line, peak RSS. Every variant gets the same
// environment: no exporter, the non-cloud resource detectors (no metadata probe leaves the machine).
//   node bench/coverage.js        (BENCH_COVERAGE_ROUNDS=n for fewer rounds)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT } from '../test/helpers.js';
import { median, printTable, saveSection } from './harness.js';

const ROUNDS = Number(process.env.BENCH_COVERAGE_ROUNDS ?? 10);
const VARIANTS = {
  bare: [],
  register: ['--import', './register'],
  'auto-instrumentations-node': ['--import', '@opentelemetry/auto-instrumentations-node/register'],
  EDOT: ['--import', '@elastic/opentelemetry-node'],
};
const CASES = {
  '-e 0': ['-e', 'console.log("ready")'],
  'five-library app': ['bench/fixtures/coverage-app.cjs'],
};
const env = {
  ...process.env,
  MONITORING_PORT: '0',
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance',
};

/** ms from spawn to the line "ready…" on stdout; the process is then left to exit. */
function timeToReady(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      if (!done && /^ready/m.test(out)) {
        done = true;
        resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`${args.join(' ')}: exited (${code}) before its first line`));
    });
  });
}

function peakRssMb(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

const samples = {};
for (const v of Object.keys(VARIANTS)) for (const c of Object.keys(CASES)) samples[`${v}|${c}`] = { ms: [], mb: [] };
// Warm-up: the file system cache for every variant's modules.
for (const v of Object.keys(VARIANTS)) await timeToReady([...VARIANTS[v], ...CASES['five-library app']]);
for (let r = 0; r < ROUNDS; r++) {
  for (const [v, pre] of Object.entries(VARIANTS)) {
    for (const [c, args] of Object.entries(CASES)) {
      samples[`${v}|${c}`].ms.push(await timeToReady([...pre, ...args]));
      if (r < 3 && existsSync('/usr/bin/time')) samples[`${v}|${c}`].mb.push(peakRssMb([...pre, ...args]));
    }
  }
}

const firstLineMs = {};
const peakRss = {};
for (const v of Object.keys(VARIANTS)) {
  firstLineMs[v] = {};
  peakRss[v] = {};
  for (const c of Object.keys(CASES)) {
    firstLineMs[v][c] = median(samples[`${v}|${c}`].ms);
    peakRss[v][c] = samples[`${v}|${c}`].mb.length ? median(samples[`${v}|${c}`].mb) : NaN;
  }
}
const stderr = spawnSync(process.execPath, ['--import', './register', ...CASES['five-library app']], {
  cwd: ROOT,
  env,
  encoding: 'utf8',
}).stderr;
printTable(
  `coverage: time to the first line (median of ${ROUNDS}), peak RSS (median of 3)`,
  Object.keys(VARIANTS).flatMap((v) =>
    Object.keys(CASES).map((c) => [
      `${v}, ${c}`,
      `${firstLineMs[v][c].toFixed(0)} ms`,
      v === 'bare' ? '' : `+${(firstLineMs[v][c] - firstLineMs.bare[c]).toFixed(0)} ms`,
      `${peakRss[v][c].toFixed(1)} MB`,
      v === 'bare' ? '' : `+${(peakRss[v][c] - peakRss.bare[c]).toFixed(1)} MB`,
    ]),
  ),
);
console.log(`  stderr of register with the five libraries: ${stderr === '' ? '(empty)' : JSON.stringify(stderr)}`);
saveSection('coverage', { rounds: ROUNDS, libraries: 5, firstLineMs, peakRssMb: peakRss, stderrEmpty: stderr === '' });
