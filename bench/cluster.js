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
// Scale: 4 workers × 25,000 series against one process × 100,000 (idle and churn), fewer
// scrapes. Every scrape also measures the serving process's longest event-loop block (a 1 ms
// timer in it: the largest gap between its ticks, bounded by the CPU time the process used in
// that gap — five processes share two cores, so the OS also leaves the primary waiting), and
// the plain wall-clock gap, reported over IPC. Goals: ≤ 2× and a block ≤ 20 ms at scale.
// Run: npm run build && node bench/cluster.js   (BENCH_ROLE=app is the app it starts itself)
// BENCH_SCRAPES (30), BENCH_ROUNDS (3), BENCH_SCALE_SCRAPES (5), BENCH_SCALE_ROUNDS (2).
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { median, printTable, saveSection } from './harness.js';
import { loopWatch } from './loop-watch.js';

const SERIES = 1000;
const WORKERS = 4;
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Scale: 4 workers × 25k series against one process × 100k, fewer scrapes (each is ~100× the work).
const SCALE_SERIES = 25_000;
const SCALE_SCRAPES = Number(process.env.BENCH_SCALE_SCRAPES ?? 5);
const SCALE_ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);
/** BENCH_ONLY=scale runs only the cases whose label starts so (a trial; with BENCH_RESULTS). */
const ONLY = process.env.BENCH_ONLY;
/** Churn: each process bumps every series this often; scrapes are spaced wider, so each sees every series changed. */
const CHURN_MS = 20;
const churnMs = (series) => (series > 10_000 ? 400 : CHURN_MS);

if (process.env.BENCH_ROLE === 'app') await app();
else await main();

/** The serving process times its own loop between the parent's 'watch' and 'stop' (bench/loop-watch.js). */
function watchOverIpc() {
  const w = loopWatch();
  process.on('message', (m) => {
    if (m === 'watch') {
      w.watch();
      process.send('watching');
    } else if (m === 'stop') {
      process.send(w.stop());
    }
  });
}

async function app() {
  const workers = Number(process.env.WORKERS);
  const series = Number(process.env.SERIES);
  if (!cluster.isWorker) watchOverIpc();
  if (cluster.isPrimary && workers > 0) {
    let ready = 0;
    for (let i = 0; i < workers; i++) cluster.fork().on('message', () => ++ready === workers && console.log('ready'));
    return;
  }
  const { MetricsCollector } = await import('@socketcomm/monitoring');
  const m = new MetricsCollector();
  const w = cluster.isWorker ? cluster.worker.id : 0;
  m.declareCounter('bench.cluster.requests', { cardinalityLimit: series + 10 });
  const attrs = Array.from({ length: series }, (_, i) => ({ worker_key: `w${w}`, route: `/r/${i}` }));
  attrs.forEach((a, i) => m.incrementCounter('bench.cluster.requests', i + 1, a));
  if (process.env.CHURN === '1')
    setInterval(() => attrs.forEach((a) => m.incrementCounter('bench.cluster.requests', 1, a)), churnMs(series));
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

/** One message from the app over IPC. */
function ask(child, msg) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(msg);
  });
}

async function scrapeTimes({ workers, series, env, churn, scrapes = SCRAPES }) {
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
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    detached: true, // its own process group, so the workers die with it below
  });
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', () => reject(new Error('bench app exited')));
      setTimeout(() => reject(new Error('bench app not ready in 60 s')), 60000).unref();
    });
    // Host metrics start a second after the serving process starts: wait, so both setups have them.
    await sleep(1500);
    const url = `http://127.0.0.1:${port}/metrics?format=prometheus`;
    const total = workers > 0 ? workers * series : series;
    // A worker's first answer carries all its definitions: at scale it may miss the collection
    // timeout of the first scrapes (its last values are then served). Wait until all are in.
    let lines = 0;
    for (let i = 0; i < 20 && lines !== total; i++) {
      if (i > 0) await sleep(500);
      lines = (await (await fetch(url)).text()).split('\n').filter((l) => l.startsWith('bench_cluster_requests')).length;
    }
    if (lines !== total) throw new Error(`expected ${total} series, got ${lines}`);
    const ms = [];
    const block = [];
    for (let i = 0; i < 2 * scrapes; i++) {
      if (churn) await sleep(churnMs(total) * 1.5);
      await ask(child, 'watch');
      const t0 = performance.now();
      await (await fetch(url)).text();
      ms.push(performance.now() - t0);
      await sleep(5); // the tick after the scrape's last block sees that block
      block.push(await ask(child, 'stop'));
    }
    const split = (xs) => ({ cold: xs.slice(0, scrapes), warm: xs.slice(scrapes) });
    return { ...split(ms), block: split(block.map((b) => b.maxBusyMs)), gap: split(block.map((b) => b.maxGapMs)) };
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
  const off = { MONITORING_SYSTEM_METRICS: 'false' };
  const small = { series: SERIES, scrapes: SCRAPES, rounds: ROUNDS };
  const scale = { series: SCALE_SERIES, scrapes: SCALE_SCRAPES, rounds: SCALE_ROUNDS };
  const cases = [
    ['host metrics off, idle', off, false, small],
    ['host metrics off, churn', off, true, small],
    ['host metrics on, idle', {}, false, small],
    [`scale: ${WORKERS} workers × ${SCALE_SERIES / 1000}k, idle`, off, false, scale],
    [`scale: ${WORKERS} workers × ${SCALE_SERIES / 1000}k, churn`, off, true, scale],
  ].filter(([label]) => !ONLY || label.startsWith(ONLY));
  const summary = (runs) => ({ median: median(runs.flat()), p90: quantile(runs.flat(), 0.9), roundMedians: runs.map(median) });
  const fmt = (x) => `${x.median.toFixed(1)} ms (p90 ${x.p90.toFixed(1)}; rounds ${x.roundMedians.map((v) => v.toFixed(1)).join('/')})`;
  for (const [label, env, churn, { series, scrapes, rounds }] of cases) {
    const runs = { single: { cold: [], warm: [] }, cluster: { cold: [], warm: [] } };
    const blocks = { single: { cold: [], warm: [] }, cluster: { cold: [], warm: [] } };
    const gaps = { single: { cold: [], warm: [] }, cluster: { cold: [], warm: [] } };
    for (let r = 0; r < rounds; r++) {
      for (const [who, workers, n] of [
        ['single', 0, WORKERS * series],
        ['cluster', WORKERS, series],
      ]) {
        const t = await scrapeTimes({ workers, series: n, env, churn, scrapes });
        for (const phase of ['cold', 'warm']) {
          runs[who][phase].push(t[phase]);
          blocks[who][phase].push(t.block[phase]);
          gaps[who][phase].push(t.gap[phase]);
        }
      }
    }
    const res = {};
    for (const phase of ['warm', 'cold']) {
      const s = summary(runs.single[phase]);
      const c = summary(runs.cluster[phase]);
      const sb = summary(blocks.single[phase]);
      const cb = summary(blocks.cluster[phase]);
      const ratio = c.median / s.median;
      const roundRatios = c.roundMedians.map((v, i) => v / s.roundMedians[i]);
      const sg = summary(gaps.single[phase]);
      const cg = summary(gaps.cluster[phase]);
      res[phase] = { singleProcessMs: s, clusterMs: c, singleBlockMs: sb, clusterBlockMs: cb, singleGapMs: sg, clusterGapMs: cg };
      rows.push([`${label}, ${phase}: 1 process × ${WORKERS * series}`, fmt(s), `loop block ${fmt(sb)}, wall gap ${fmt(sg)}`]);
      rows.push([
        `${label}, ${phase}: ${WORKERS} workers × ${series}`,
        fmt(c),
        `${ratio.toFixed(2)}× (rounds ${roundRatios.map((v) => v.toFixed(2)).join('/')}; goal ≤ 2×)`,
        `loop block ${fmt(cb)}, wall gap ${fmt(cg)}`,
      ]);
    }
    out[label] = { series, scrapes, rounds, ...res.warm, cold: res.cold };
  }
  printTable(`Scrape /metrics?format=prometheus: per app the cold then the warm sequential scrapes`, rows);
  // The goal (bench/goals.js) is judged on 'host metrics off, idle', warm: the merging cost
  // alone; host metrics add the same collection to both setups and are measured separately.
  saveSection('cluster', { scrapes: SCRAPES, rounds: ROUNDS, ...out });
}
