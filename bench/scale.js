// Scrapes as series grow: 1k / 10k / 100k series of counters and of histograms (10 metrics,
// two labels, prom-client's default buckets for both), ours as Prometheus sees it (GET
// /metrics?format=prometheus from an app under --import ./register) against prom-client's
// registry.metrics() in an app of its own, the two scraped in turn in the same run:
// time per scrape, the app's longest event-loop block during it (a 1 ms timer in the app: the
// largest gap between its ticks bounded by the CPU time the app used in it, and the plain
// wall-clock gap), bytes, and heap per series (heap delta over the series after
// a full GC, at 100k). Also one OTLP http/protobuf export of 100k series from the app under
// register (to a local node:http receiver): its time and the app's longest block.
// Apps: bench/fixtures/scale-app.mjs. Bounded: ~2-3 min on a 2-core box.
//   npm run build && node bench/scale.js
import { fork } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, saveSection } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = path.join(ROOT, 'bench/fixtures/scale-app.mjs');
const SIZES = [1_000, 10_000, 100_000];
const KINDS = ['counter', 'histogram'];
/** Scrapes per contender and size (after one warm-up each): fewer where each is ~100× the work. */
const REPEATS = { 1000: 9, 10000: 7, 100000: 3 };
const OTLP_EXPORTS = 3;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start one app; `ask(msg)` sends a command and resolves with its answer. */
async function startApp(env, register) {
  const child = fork(APP, [], {
    cwd: ROOT,
    execArgv: ['--expose-gc', ...(register ? ['--import', './register'] : [])],
    env: {
      ...process.env,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      MONITORING_SYSTEM_METRICS: 'false',
      MONITORING_HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const answers = [];
  let waiting;
  child.on('message', (m) => (waiting ? (waiting(m), (waiting = undefined)) : answers.push(m)));
  const next = () => (answers.length > 0 ? Promise.resolve(answers.shift()) : new Promise((r) => (waiting = r)));
  const ready = await Promise.race([
    next(),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`scale app exited (${code})`)))),
  ]);
  if (!ready.ready) throw new Error('scale app did not start');
  return {
    ask: (msg) => {
      child.send(msg);
      return next();
    },
    stop: () => child.kill('SIGKILL'),
  };
}

/** One scrape of ours over HTTP: time, bytes and the app's longest block during it. */
async function scrapeOurs(app, url) {
  await app.ask({ cmd: 'watch' });
  const t0 = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  await sleep(5); // the tick after the scrape's last block sees that block
  const { maxGapMs, maxBusyMs } = await app.ask({ cmd: 'stop' });
  return { ms, bytes: body.length, maxGapMs, maxBusyMs, text: body };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: median(s), min: s[0], max: s[s.length - 1] };
};

async function size(kind, series) {
  const port = await freePort();
  const env = { KIND: kind, SERIES: String(series) };
  const ours = await startApp({ ...env, LIB: 'ours', MONITORING_PORT: String(port) }, true);
  const prom = await startApp({ ...env, LIB: 'prom' }, false);
  try {
    const url = `http://127.0.0.1:${port}/metrics?format=prometheus`;
    const first = await scrapeOurs(ours, url);
    const name = kind === 'counter' ? 'scale_counter_' : 'scale_histogram_';
    const suffix = kind === 'counter' ? '_total{' : '_seconds_count{';
    const lines = first.text
      .toString()
      .split('\n')
      .filter((l) => l.startsWith(name) && l.includes(suffix)).length;
    if (lines !== series) throw new Error(`ours: expected ${series} ${kind} series, got ${lines}`);
    await prom.ask({ cmd: 'prom' });
    const o = [];
    const p = [];
    for (let i = 0; i < REPEATS[series]; i++) {
      o.push(await scrapeOurs(ours, url));
      p.push(await prom.ask({ cmd: 'prom' }));
    }
    const out = {
      ours: {
        ms: stats(o.map((x) => x.ms)),
        blockMs: stats(o.map((x) => x.maxBusyMs)),
        gapMs: stats(o.map((x) => x.maxGapMs)),
        bytes: o[0].bytes,
      },
      prom: {
        ms: stats(p.map((x) => x.ms)),
        blockMs: stats(p.map((x) => x.maxBusyMs)),
        gapMs: stats(p.map((x) => x.maxGapMs)),
        bytes: p[0].bytes,
      },
    };
    if (series === 100_000) {
      out.ours.heapPerSeries = (await ours.ask({ cmd: 'heap' })).heapPerSeries;
      out.prom.heapPerSeries = (await prom.ask({ cmd: 'heap' })).heapPerSeries;
    }
    return out;
  } finally {
    ours.stop();
    prom.stop();
  }
}

/** A local OTLP/HTTP receiver: answers 200 with an empty ExportMetricsServiceResponse, counts requests and bytes. */
async function receiver() {
  const seen = { requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    seen.requests++;
    req.on('data', (d) => (seen.bytes += d.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { seen, url: `http://127.0.0.1:${server.address().port}/v1/metrics`, close: () => server.close() };
}

async function otlp(kind) {
  const rx = await receiver();
  const app = await startApp(
    {
      KIND: kind,
      SERIES: '100000',
      LIB: 'ours',
      MONITORING_PORT: '0',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: rx.url,
      OTEL_METRIC_EXPORT_INTERVAL: '3600000',
    },
    true,
  );
  try {
    const runs = [];
    for (let i = 0; i < OTLP_EXPORTS + 1; i++) {
      rx.seen.requests = 0;
      rx.seen.bytes = 0;
      const r = await app.ask({ cmd: 'flush' });
      runs.push({ ...r, requests: rx.seen.requests, bytes: rx.seen.bytes });
    }
    const timed = runs.slice(1); // the first export compiles the exporter's code
    return {
      ms: stats(timed.map((r) => r.ms)),
      blockMs: stats(timed.map((r) => r.maxBusyMs)),
      gapMs: stats(timed.map((r) => r.maxGapMs)),
      requests: timed[0].requests,
      bytes: timed[0].bytes,
    };
  } finally {
    app.stop();
    rx.close();
  }
}

const out = { sizes: SIZES, repeats: REPEATS, counter: {}, histogram: {}, otlp: {} };
const rows = [];
const fmt = (s) => `${s.median.toFixed(1)} ms`;
for (const kind of KINDS) {
  for (const series of SIZES) {
    const r = await size(kind, series);
    out[kind][series] = r;
    const heap =
      r.ours.heapPerSeries === undefined ? '' : `heap/series ${r.ours.heapPerSeries.toFixed(0)} B vs ${r.prom.heapPerSeries.toFixed(0)} B`;
    rows.push([
      `${kind} × ${series}`,
      `ours ${fmt(r.ours.ms)} (block ${fmt(r.ours.blockMs)}, ${(r.ours.bytes / 1e6).toFixed(1)} MB)`,
      `prom-client ${fmt(r.prom.ms)} (block ${fmt(r.prom.blockMs)}, ${(r.prom.bytes / 1e6).toFixed(1)} MB)`,
      `${(r.ours.ms.median / r.prom.ms.median).toFixed(2)}×`,
      heap,
    ]);
  }
}
for (const kind of KINDS) {
  const r = await otlp(kind);
  out.otlp[kind] = r;
  rows.push([
    `OTLP export, ${kind} × 100000`,
    fmt(r.ms),
    `block ${fmt(r.blockMs)}`,
    `${r.requests} requests, ${(r.bytes / 1e6).toFixed(1)} MB`,
  ]);
}
printTable('Scale: ours over HTTP under register vs prom-client registry.metrics(), medians', rows);
saveSection('scale', out);
