// Helpers for the cluster tests: a node:cluster app under --import ./register whose primary
// prints JSON events, and /metrics readers.
import { startApp, freePort, waitFor } from '../helpers.js';

/** Start test/cluster/fixtures/cluster-app.js; `events` collects the primary's JSON lines. */
export async function startClusterApp({ workers = 4, env = {} } = {}) {
  const port = await freePort();
  const app = startApp('test/cluster/fixtures/cluster-app.js', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      WORKERS: String(workers),
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
  });
  const events = () =>
    app.out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  const count = (event) => events().filter((e) => e.event === event).length;
  return {
    ...app,
    port,
    base: `http://127.0.0.1:${port}`,
    events,
    count,
    waitEvents: (event, n, ms = 20000) => waitFor(() => count(event) >= n, ms),
  };
}

/** GET /metrics as JSON; returns { ms, body }. */
export async function metricsJson(base, timeoutMs = 5000) {
  const t0 = performance.now();
  const r = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await r.json();
  return { ms: performance.now() - t0, status: r.status, body };
}

export const counterOf = (body, name) => body.counters[name] ?? 0;
