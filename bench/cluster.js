// Scrape cost under node:cluster: 4 workers × 1,000 series merged by the serving primary,
// against one process holding the same 4,000 series. Goal: ≤ 2× the single-process time.
// Run: npm run build && node bench/cluster.js   (BENCH_ROLE=app is the app it starts itself)
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { printTable, saveSection } from './harness.js';

const SERIES = 1000;
const WORKERS = 4;
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 30);

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
  for (let i = 0; i < series; i++) m.incrementCounter('bench.cluster.requests', i + 1, { worker_key: `w${w}`, route: `/r/${i}` });
  setInterval(() => {}, 1 << 30); // stay alive like a server
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

async function scrapeTimes({ workers, series, env }) {
  const port = await freePort();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(process.execPath, ['--import', './register', 'bench/cluster.js'], {
    cwd: root,
    env: { ...process.env, ...env, BENCH_ROLE: 'app', WORKERS: String(workers), SERIES: String(series), MONITORING_PORT: String(port), MONITORING_HOST: '127.0.0.1', OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group, so the workers die with it below
  });
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', () => reject(new Error('bench app exited')));
      setTimeout(() => reject(new Error('bench app not ready in 30 s')), 30000).unref();
    });
    const url = `http://127.0.0.1:${port}/metrics?format=prometheus`;
    let lines = 0;
    for (let i = 0; i < 5; i++) lines = (await (await fetch(url)).text()).split('\n').filter((l) => l.startsWith('bench_cluster_requests')).length;
    if (lines !== WORKERS * SERIES) throw new Error(`expected ${WORKERS * SERIES} series, got ${lines}`);
    const ms = [];
    for (let i = 0; i < SCRAPES; i++) {
      const t0 = performance.now();
      await (await fetch(url)).text();
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { median: ms[Math.floor(ms.length / 2)], p90: ms[Math.floor(ms.length * 0.9)], series: lines };
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}

async function main() {
  const out = {};
  const rows = [];
  for (const [label, env] of [['with host metrics', {}], ['host metrics off', { MONITORING_SYSTEM_METRICS: 'false' }]]) {
    const single = await scrapeTimes({ workers: 0, series: WORKERS * SERIES, env });
    const merged = await scrapeTimes({ workers: WORKERS, series: SERIES, env });
    const ratio = merged.median / single.median;
    out[label] = { singleProcessMs: single, clusterMs: merged, ratio };
    rows.push([`${label}: 1 process × ${WORKERS * SERIES} series`, `${single.median.toFixed(1)} ms median`, `p90 ${single.p90.toFixed(1)} ms`]);
    rows.push([`${label}: ${WORKERS} workers × ${SERIES} series`, `${merged.median.toFixed(1)} ms median`, `p90 ${merged.p90.toFixed(1)} ms`, `${ratio.toFixed(2)}× (goal ≤ 2×)`]);
  }
  printTable(`Scrape /metrics?format=prometheus, ${SCRAPES} sequential scrapes each`, rows);
  saveSection('cluster', { scrapes: SCRAPES, ...out });
}
