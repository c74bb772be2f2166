// Scrape cost under node:cluster: 4 workers × 1,000 series merged by the serving primary,
// against one process holding the same 4,000 series. Goal: ≤ 2× the single-process time.
// Two loads: `idle` (series unchanged between scrapes: the workers send nothing but "no
// change") and `churn` (every series changes between scrapes: every point crosses the wire).
// Each pair is measured in interleaved rounds on a fresh app. A ratio is the ratio of the
// medians of all scrapes (every round pooled), as for the other benchmarks; per-round medians
// are kept to show the spread.
// Each app is scraped 2 × BENCH_SCRAPES times: the first half is `cold` (the code of five
// processes still being compiled by V8), the second half `warm` (steady state, what a service
// scraped for hours pays); the goal is judged on the warm phase (bench/goals.js).
// Run: npm run build && node bench/cluster.js   (BENCH_ROLE=app is the app it starts itself)
// BENCH_SCRAPES (30), BENCH_ROUNDS (3).
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { median, printTable, saveSection } from './harness.js';

const SERIES = 1000;
const WORKERS = 4;
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Churn: each process bumps every series this often; scrapes are spaced wider, so each sees every series changed. */
const CHURN_MS = 20;

if (process.env.BENCH_ROLE === 'app') await app();
else await main();

async function app() {
  const workers = Number(process.env.WORKERS);
  const series = Number(process.env.SERIES);
  if (cluster.isPrimary && workers > 0) {
    let ready = 0;
    for (let i = 0; i < workers; i++) cluster.fork().on('message', () => ++ready === workers && console.log('ready'));
    return;
  }
  const { MetricsCollector } = await import('@socketcomm/monitoring');
  const m = new MetricsCollector();
  const w = cluster.isWorker ? cluster.worker.id : 0;
  m.declareCounter('bench.cluster.requests', { cardinalityLimit: 10000 });
  const attrs = Array.from({ length: series }, (_, i) => ({ worker_key: `w${w}`, route: `/r/${i}` }));
  attrs.forEach((a, i) => m.incrementCounter('bench.cluster.requests', i + 1, a));
  if (process.env.CHURN === '1') setInterval(() => attrs.forEach((a) => m.incrementCounter('bench.cluster.requests', 1, a)), CHURN_MS);
  else setInterval(() => {}, 1 << 30); // stay alive like a server
  if (cluster.isWorker) process.send('ready');
  else console.log('ready');
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function scrapeTimes({ workers, series, env, churn }) {
  const port = await freePort();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(process.execPath, ['--import', './register', 'bench/cluster.js'], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      CHURN: churn ? '1' : '0',
      BENCH_ROLE: 'app',
      WORKERS: String(workers),
      SERIES: String(series),
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group, so the workers die with it below
  });
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', () => reject(new Error('bench app exited')));
      setTimeout(() => reject(new Error('bench app not ready in 30 s')), 30000).unref();
    });
    // Host metrics start a second after the serving process starts: wait, so both setups have them.
    await sleep(1500);
    const url = `http://127.0.0.1:${port}/metrics?format=prometheus`;
    const lines = (await (await fetch(url)).text()).split('\n').filter((l) => l.startsWith('bench_cluster_requests')).length;
    if (lines !== WORKERS * SERIES) throw new Error(`expected ${WORKERS * SERIES} series, got ${lines}`);
    const ms = [];
    for (let i = 0; i < 2 * SCRAPES; i++) {
      if (churn) await sleep(CHURN_MS * 1.5);
      const t0 = performance.now();
      await (await fetch(url)).text();
      ms.push(performance.now() - t0);
    }
    return { cold: ms.slice(0, SCRAPES), warm: ms.slice(SCRAPES) };
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}

function quantile(xs, q) {
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
}

async function main() {
  const out = {};
  const rows = [];
  const cases = [
    ['host metrics off, idle', { MONITORING_SYSTEM_METRICS: 'false' }, false],
    ['host metrics off, churn', { MONITORING_SYSTEM_METRICS: 'false' }, true],
    ['host metrics on, idle', {}, false],
  ];
  const summary = (runs) => ({ median: median(runs.flat()), p90: quantile(runs.flat(), 0.9), roundMedians: runs.map(median) });
  const fmt = (x) => `${x.median.toFixed(1)} ms (p90 ${x.p90.toFixed(1)}; rounds ${x.roundMedians.map((v) => v.toFixed(1)).join('/')})`;
  for (const [label, env, churn] of cases) {
    const runs = { single: { cold: [], warm: [] }, cluster: { cold: [], warm: [] } };
    for (let r = 0; r < ROUNDS; r++) {
      for (const [who, workers, series] of [
        ['single', 0, WORKERS * SERIES],
        ['cluster', WORKERS, SERIES],
      ]) {
        const t = await scrapeTimes({ workers, series, env, churn });
        runs[who].cold.push(t.cold);
        runs[who].warm.push(t.warm);
      }
    }
    const res = {};
    for (const phase of ['warm', 'cold']) {
      const s = summary(runs.single[phase]);
      const c = summary(runs.cluster[phase]);
      const ratio = c.median / s.median;
      const roundRatios = c.roundMedians.map((v, i) => v / s.roundMedians[i]);
      res[phase] = { singleProcessMs: s, clusterMs: c };
      rows.push([`${label}, ${phase}: 1 process × ${WORKERS * SERIES}`, fmt(s)]);
      rows.push([
        `${label}, ${phase}: ${WORKERS} workers × ${SERIES}`,
        fmt(c),
        `${ratio.toFixed(2)}× (rounds ${roundRatios.map((v) => v.toFixed(2)).join('/')}; goal ≤ 2×)`,
      ]);
    }
    out[label] = { ...res.warm, cold: res.cold };
  }
  printTable(`Scrape /metrics?format=prometheus: ${ROUNDS} rounds; per app ${SCRAPES} cold then ${SCRAPES} warm sequential scrapes`, rows);
  // The goal (bench/goals.js) is judged on 'host metrics off, idle', warm: the merging cost
  // alone; host metrics add the same collection to both setups and are measured separately.
  saveSection('cluster', { scrapes: SCRAPES, rounds: ROUNDS, ...out });
}
