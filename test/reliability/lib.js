// Shared pieces of the reliability suite: bounded load loops, child-process probes, slopes.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { freePort, startApp, waitFor } from '../helpers.js';

export const SOAK = process.env.MONITORING_SOAK === '1';

/** Start test/reliability/fixtures/load-app.mjs; resolves once it answers. */
export async function startLoadApp(env = {}, { register = true } = {}) {
  const appPort = await freePort();
  const monPort = await freePort();
  const app = startApp('test/reliability/fixtures/load-app.mjs', {
    register,
    env: {
      APP_PORT: String(appPort),
      MONITORING_PORT: String(monPort),
      MONITORING_HOST: '127.0.0.1',
      OTEL_SERVICE_NAME: 'reliability',
      ...env,
    },
  });
  await waitFor(() => app.out.stdout.includes('READY'), 20000);
  return { ...app, appUrl: `http://127.0.0.1:${appPort}`, monUrl: `http://127.0.0.1:${monPort}`, appPort, monPort };
}

/** One keep-alive GET; resolves { status, ms, body }. */
export function get(agent, url, { headers = {}, timeoutMs = 10000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, body: Buffer.concat(chunks).toString() }));
      res.on('error', (e) => resolve({ status: 0, ms: performance.now() - t0, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, ms: performance.now() - t0, error: e.message }));
  });
}

/**
 * Fixed-concurrency closed loop on `url` for `durationMs` (and at most `maxRequests`).
 * Returns latencies (ms) and status counts.
 */
export async function loadLoop(url, { concurrency = 8, durationMs = 2000, maxRequests = 200_000 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const statuses = {};
  const end = Date.now() + durationMs;
  let sent = 0;
  const worker = async () => {
    while (Date.now() < end && sent < maxRequests) {
      sent++;
      const r = await get(agent, url);
      latencies.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { latencies, statuses, count: latencies.length };
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export const median = (v) => percentile(v, 50);

/** RSS of a process from /proc, bytes. */
export function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Fetch JSON from the app's /probe. */
export async function probe(appUrl) {
  const res = await fetch(`${appUrl}/probe`);
  return res.json();
}

export const MB = 1024 * 1024;

/** Print a figure the README quotes (visible in `node --test` output as a diagnostic). */
export function figure(t, text) {
  t.diagnostic(text);
  console.log(`# FIGURE ${text}`);
}

/**
 * Open-loop steady load: `rps` requests a second on `url` for `durationMs`, whatever the
 * answers do (a slow server is not given a break, as real clients would not give one).
 */
export async function steadyLoad(url, { rps = 300, durationMs = 2000 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies = [];
  const statuses = {};
  const pending = [];
  const t0 = performance.now();
  const total = Math.round((rps * durationMs) / 1000);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      get(agent, url).then((r) => {
        latencies.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { latencies, statuses, count: latencies.length };
}

/** A mockotlpserver (real OTLP decoding) on a given port: a collector that can "come back". */
export async function otlpReceiverOn(port) {
  const { MockOtlpServer } = await import('@elastic/mockotlpserver');
  const received = { traces: [], metrics: [], logs: [] };
  const server = new MockOtlpServer({
    logLevel: 'error',
    services: ['http'],
    httpHostname: '127.0.0.1',
    httpPort: port,
    onTrace: (d) => received.traces.push(d),
    onMetrics: (d) => received.metrics.push(d),
    onLogs: (d) => received.logs.push(d),
  });
  await server.start();
  const leaves = (list, r, s, l) => list.flatMap((req) => (req[r] ?? []).flatMap((x) => (x[s] ?? []).flatMap((y) => y[l] ?? [])));
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => server.close(),
    spans: () => leaves(received.traces, 'resourceSpans', 'scopeSpans', 'spans'),
    logRecords: () => leaves(received.logs, 'resourceLogs', 'scopeLogs', 'logRecords'),
    metrics: () => leaves(received.metrics, 'resourceMetrics', 'scopeMetrics', 'metrics'),
  };
}

/** stderr lines grouped by kind (numbers blanked), for "at most one warning per failure kind". */
export function stderrKinds(stderr) {
  const kinds = new Map();
  for (const line of stderr.split('\n').filter((l) => l.trim())) {
    const k = line.replace(/\d+/g, '#').slice(0, 120);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return kinds;
}

/** Value of a Prometheus sample matching `re` (summed), from the monitoring server. */
export async function promValue(monUrl, re) {
  const text = await (await fetch(`${monUrl}/metrics?format=prometheus`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (!line.startsWith('#') && re.test(line)) sum += Number(line.split(' ').at(-1));
  return sum;
}

/** steadyLoad() in a worker thread (see load-worker.js). */
export async function steadyLoadIsolated(url, options) {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: { url, options } });
  try {
    return await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  } finally {
    await w.terminate();
  }
}
