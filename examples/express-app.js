// An Express app with the middleware of PySocketCommLib's Python monitoring module
// ("Middleware para Flask/FastAPI") in JavaScript:
// a request counter by status, a duration histogram, "Request started" / "Request completed"
// log lines, a route using the tracker, a route that throws, and the monitoring routes
// mounted under /monitoring as well.
//   APP_PORT=3000 MONITORING_PORT=9464 node --import ./register examples/express-app.js
//
// Metric decision: PySocketCommLib counts `http.requests.<status>` (one metric per status code). Here it
// is ONE counter `http.requests` with a `status` attribute (plus `method`, `route`) →
// `http_requests_total{status="200",…}` in Prometheus, so `sum(rate(http_requests_total[5m]))`
// and `…{status=~"5.."}` work without listing metric names. `http.request.duration` keeps
// PySocketCommLib's milliseconds (unit `ms` → `http_request_duration_milliseconds`). The route attribute
// is Express's route pattern (`/users/:id`), never the raw path, to bound cardinality.
import express from 'express';
import { MetricsCollector, PerformanceTracker, StructuredLogger, HealthEndpoints } from '@socketcomm/monitoring';

const metrics = new MetricsCollector();
const tracker = new PerformanceTracker();
const logger = new StructuredLogger();
// Not started: only its handler is mounted (register serves the same routes on MONITORING_PORT).
const endpoints = new HealthEndpoints();

metrics.declareCounter('http.requests', { unit: '{request}', description: 'HTTP requests by status' });
metrics.declareHistogram('http.request.duration', { unit: 'ms', description: 'HTTP request duration' });

/** PySocketCommLib's before_request / after_request pair as one Express middleware. */
export function monitoringMiddleware(req, res, next) {
  const start = performance.now();
  const userId = req.get('x-user-id');
  const request = logger.logRequestStart(req.method, req.path, userId ? { user_id: userId } : undefined);
  res.once('finish', () => {
    const duration = Math.round((performance.now() - start) * 1000) / 1000;
    const route = req.route ? req.baseUrl + req.route.path : req.baseUrl || 'unmatched';
    metrics.incrementCounter('http.requests', 1, { method: req.method, route, status: res.statusCode });
    metrics.recordHistogram('http.request.duration', duration, { method: req.method, route });
    logger.logRequestEnd(res.statusCode, duration, Number(res.getHeader('content-length') ?? 0), request);
  });
  next();
}

const lookupUser = tracker.trackAsyncPerformance(async function lookupUser(id) {
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 10)); // a simulated query
  logger.info('user loaded', { user_id: id });
  return { id, name: `user-${id}` };
});

const riskyOperation = tracker.trackPerformance(function riskyOperation() {
  throw new Error('simulated failure');
});

const app = express();
app.disable('x-powered-by');
app.use(monitoringMiddleware);
app.use('/monitoring', endpoints.handler); // /monitoring/health, /monitoring/metrics, …

app.get('/', (req, res) => res.json({ ok: true }));
app.get('/users/:id', async (req, res, next) => {
  try {
    res.json(await lookupUser(req.params.id));
  } catch (err) {
    next(err);
  }
});
app.get('/error', () => {
  riskyOperation(); // throws: the tracker records it on its span and in operation.errors
});

app.use((req, res) => res.status(404).json({ error: 'not found', path: req.path }));

// Errors: one structured line with the exception (also recorded on the active span), JSON 500.
app.use((err, req, res, _next) => {
  logger.exception('request failed', err, { path: req.path });
  res.status(500).json({ error: 'internal error' });
});

const server = app.listen(Number(process.env.APP_PORT ?? 3000), '127.0.0.1', () => {
  logger.info('express-app listening', { url: `http://127.0.0.1:${server.address().port}` });
});

// Stop taking requests on SIGTERM; register flushes telemetry, then the process ends (exit 0).
process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
});
