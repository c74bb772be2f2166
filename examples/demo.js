// `npm start`: a small HTTP service under `node --import ./register`, generating its own
// traffic so the monitoring server has something to show — metrics, traces (tracked
// operations under the http spans), JSON logs with trace ids, health and readiness checks.
// No collector needed.
//   Stops by itself after DEMO_DURATION_MS (default 10 minutes), or on Ctrl+C.
//   DEMO_LOG_SAMPLING (default 0.1) keeps that share of the info lines; errors are always kept.
import http from 'node:http';
import {
  MetricsCollector,
  PerformanceTracker,
  StructuredLogger,
  HealthChecker,
  HealthStatus,
  ReadinessChecker,
} from '@socketcomm/monitoring';

const metrics = new MetricsCollector();
const tracker = new PerformanceTracker();
const logger = new StructuredLogger();
logger.setSamplingRate(Number(process.env.DEMO_LOG_SAMPLING ?? 0.1));
logger.setMetricsIntegration(metrics);
metrics.declareHistogram('demo.work.duration', { unit: 's', description: 'Time spent on simulated work' });

let queueDepth = 0;
// A custom health check on the simulated queue: degraded when it backs up.
new HealthChecker().registerCheck(
  'demo_queue',
  () => ({
    status: queueDepth > 8 ? HealthStatus.DEGRADED : HealthStatus.HEALTHY,
    message: `queue depth ${queueDepth}`,
    details: { depth: queueDepth },
  }),
  { critical: false },
);

// Tracked operations: each is a span under the request's http span, plus operation.* metrics.
const simulatedWork = tracker.trackAsyncPerformance(async function simulatedWork(slow) {
  await new Promise((r) => setTimeout(r, slow ? 150 + Math.random() * 100 : Math.random() * 20));
});
const loadUsers = tracker.trackAsyncPerformance(async function loadUsers() {
  await simulatedWork(false);
  logger.logDatabaseQuery('SELECT id, name FROM users LIMIT 10', 3.2, 10);
  return [{ id: 1, name: 'ada' }];
});
const failingOperation = tracker.trackAsyncPerformance(async function failingOperation() {
  await simulatedWork(false);
  throw new Error('simulated failure');
});

const app = http.createServer(async (req, res) => {
  const start = performance.now();
  const request = logger.logRequestStart(req.method ?? 'GET', req.url ?? '/');
  let status = 200;
  let body = { ok: true };
  try {
    if (req.url === '/users') body = { users: await loadUsers() };
    else if (req.url === '/fail') await failingOperation();
    else await simulatedWork(req.url === '/slow');
  } catch (err) {
    status = 500;
    body = { ok: false };
    logger.exception('request failed', err, { route: req.url });
  }
  metrics.incrementCounter('demo.requests', 1, { route: req.url ?? '/', status });
  metrics.recordHistogram('demo.work.duration', (performance.now() - start) / 1000, { route: req.url ?? '/' });
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
  logger.logRequestEnd(status, undefined, Buffer.byteLength(text), request);
});

app.listen(Number(process.env.APP_PORT ?? 3000), '127.0.0.1', () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const monitoringPort = process.env.MONITORING_PORT ?? process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? '9464';
  console.log(JSON.stringify({ msg: 'demo app listening', app: appUrl, monitoring: `http://127.0.0.1:${monitoringPort}` }));
  // Readiness: the demo's own HTTP front (a real request, traced like any other).
  new ReadinessChecker().addHttpDependency('demo_app', `${appUrl}/`, { timeoutMs: 2000 });
  const paths = ['/', '/', '/', '/', '/users', '/users', '/slow', '/', '/users', '/fail'];
  const deadline = Date.now() + Number(process.env.DEMO_DURATION_MS ?? 600_000);
  const timer = setInterval(() => {
    if (Date.now() > deadline) {
      clearInterval(timer);
      app.close();
      return;
    }
    queueDepth = Math.floor(Math.random() * 10);
    metrics.recordGauge('demo.queue.depth', queueDepth);
    const path = paths[Math.floor(Math.random() * paths.length)];
    fetch(appUrl + path)
      .then((r) => r.arrayBuffer())
      .catch(() => {});
  }, 200);
});
