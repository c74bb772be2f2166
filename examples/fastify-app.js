// The Express example's middleware as a Fastify (v5) plugin: a request counter by status,
// a duration histogram, "Request started" / "Request completed" log lines, a route using the
// tracker, a route that throws, and the monitoring routes under /monitoring as well.
//   APP_PORT=3000 MONITORING_PORT=9464 node --import ./register examples/fastify-app.js
// Metrics: `http.requests` (attributes method, route, status → `http_requests_total`) and
// `http.request.duration` in ms (→ `http_request_duration_milliseconds`), as in express-app.js.
import Fastify from 'fastify';
import { MetricsCollector, PerformanceTracker, StructuredLogger, HealthEndpoints } from '@socketcomm/monitoring';

const metrics = new MetricsCollector();
const tracker = new PerformanceTracker();
const logger = new StructuredLogger();

/**
 * The plugin. `prefix` mounts the monitoring routes (health, metrics, status) inside the app.
 * Not encapsulated (the `skip-override` symbol is what fastify-plugin sets), so its hooks
 * apply to every route of the app that registers it.
 */
export async function monitoringPlugin(fastify, { prefix = '/monitoring', endpoints = new HealthEndpoints() } = {}) {
  metrics.declareCounter('http.requests', { unit: '{request}', description: 'HTTP requests by status' });
  metrics.declareHistogram('http.request.duration', { unit: 'ms', description: 'HTTP request duration' });

  // Callback-style hook: `done()` continues the request synchronously, so the log context
  // that logRequestStart enters is the one the route handler runs in.
  fastify.addHook('onRequest', (req, reply, done) => {
    const userId = req.headers['x-user-id'];
    req.monitoring = {
      start: performance.now(),
      request: logger.logRequestStart(req.method, req.url.split('?')[0], typeof userId === 'string' ? { user_id: userId } : undefined),
    };
    done();
  });

  fastify.addHook('onResponse', (req, reply, done) => {
    const { start, request } = req.monitoring;
    const duration = Math.round((performance.now() - start) * 1000) / 1000;
    const route = req.routeOptions.url ?? 'unmatched'; // the pattern (/users/:id), not the raw path
    metrics.incrementCounter('http.requests', 1, { method: req.method, route, status: reply.statusCode });
    metrics.recordHistogram('http.request.duration', duration, { method: req.method, route });
    logger.logRequestEnd(reply.statusCode, duration, Number(reply.getHeader('content-length') ?? 0), request);
    done();
  });

  fastify.addHook('onError', (req, reply, err, done) => {
    logger.exception('request failed', err, { path: req.url.split('?')[0] });
    done();
  });

  // The monitoring routes: HealthEndpoints.handler answers on the raw request with the prefix
  // stripped (as Express does for a mounted handler).
  const serve = (req, reply) => {
    reply.hijack();
    req.raw.url = req.raw.url.slice(prefix.length) || '/';
    endpoints.handler(req.raw, reply.raw);
  };
  fastify.get(prefix, serve);
  fastify.get(`${prefix}/*`, serve);
}
monitoringPlugin[Symbol.for('skip-override')] = true;

const lookupUser = tracker.trackAsyncPerformance(async function lookupUser(id) {
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 10)); // a simulated query
  logger.info('user loaded', { user_id: id });
  return { id, name: `user-${id}` };
});

const riskyOperation = tracker.trackPerformance(function riskyOperation() {
  throw new Error('simulated failure');
});

const app = Fastify({ logger: false });
await app.register(monitoringPlugin);
app.get('/', async () => ({ ok: true }));
app.get('/users/:id', async (req) => lookupUser(req.params.id));
app.get('/error', async () => riskyOperation()); // throws: recorded by the tracker, onError logs it
// Fastify's default error reply would echo the message; answer a plain JSON 500 instead.
app.setErrorHandler((err, req, reply) => reply.code(err.statusCode ?? 500).send({ error: 'internal error' }));

await app.listen({ port: Number(process.env.APP_PORT ?? 3000), host: '127.0.0.1' });
logger.info('fastify-app listening', { url: `http://127.0.0.1:${app.server.address().port}` });

// Stop taking requests on SIGTERM; register flushes telemetry, then the process ends (exit 0).
process.once('SIGTERM', () => void app.close());
