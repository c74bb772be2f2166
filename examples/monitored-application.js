// The complete example of PySocketCommLib's Python monitoring module ("Integração Completa"): one MonitoredApplication class with
// metrics, tracker, health (a custom `database` check), readiness (a real dependency),
// a logger with context, the monitoring endpoints, start/stop.
//   APP_PORT=3000 MONITORING_PORT=9464 node --import ./register examples/monitored-application.js
// (`node examples/monitored-application.js` works too, without traces. Under register, the
// class's own HealthEndpoints.start() shares register's server on the same port.)
// READINESS_DB_URL (default postgresql://postgres@127.0.0.1:5432/postgres) is the readiness
// dependency and the `database` check's database; READINESS_HTTP_URL adds an HTTP dependency.
// It processes 10 requests, runs one async operation, then keeps serving (GET /process?id=…
// on APP_PORT) until SIGTERM / Ctrl+C or EXAMPLE_DURATION_MS (default 10 minutes).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  MetricsCollector,
  PerformanceTracker,
  HealthChecker,
  HealthStatus,
  ReadinessChecker,
  StructuredLogger,
  HealthEndpoints,
  shutdown,
} from '@socketcomm/monitoring';

const DB_URL = process.env.READINESS_DB_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

class MonitoredApplication {
  constructor() {
    // Monitoring components (the shared instances of the process).
    this.metrics = new MetricsCollector();
    this.tracker = new PerformanceTracker();
    this.health = new HealthChecker();
    this.readiness = new ReadinessChecker();
    this.logger = new StructuredLogger();
    this.endpoints = new HealthEndpoints({ host: process.env.MONITORING_HOST ?? '127.0.0.1' });
    this.db = new pg.Pool({ connectionString: DB_URL, max: 2 });

    // Integrations
    this.logger.setMetricsIntegration(this.metrics);
    this.setupHealthChecks();
    this.setupReadinessChecks();
    // PySocketCommLib's `@performance_tracker` on process_request: one span + operation metrics per call.
    this.processRequest = this.tracker.trackPerformance(this.processRequest);
  }

  setupHealthChecks() {
    // A custom check: a real round trip on the application's own pool.
    this.health.registerCheck(
      'database',
      async () => {
        const t0 = performance.now();
        await this.db.query('SELECT 1');
        return {
          status: HealthStatus.HEALTHY,
          message: 'Database OK',
          details: { round_trip_ms: Math.round((performance.now() - t0) * 100) / 100 },
        };
      },
      { timeoutMs: 2000 },
    );
  }

  setupReadinessChecks() {
    this.readiness.addDatabaseDependency('main_db', DB_URL, { timeoutMs: 3000 });
    if (process.env.READINESS_HTTP_URL) {
      this.readiness.addHttpDependency('api', process.env.READINESS_HTTP_URL, { timeoutMs: 3000 });
    }
  }

  async startMonitoring() {
    this.health.startBackgroundChecks({ intervalMs: 30_000 });
    await this.endpoints.start();
    this.logger.info('Monitoramento iniciado', { endpoints_url: this.endpoints.getUrl() });
  }

  async stopMonitoring() {
    this.health.stopBackgroundChecks();
    await this.endpoints.stop();
    this.logger.info('Monitoramento parado');
  }

  /** Processes one request; tracked (see the constructor). */
  async processRequest(requestData) {
    return this.logger.context({ request_id: requestData.id }, async () => {
      this.logger.info('Processando request', requestData);
      await sleep(100); // simulated work
      this.metrics.incrementCounter('requests.processed');
      this.metrics.recordGauge('last_request_size', JSON.stringify(requestData).length);
      this.logger.info('Request processado com sucesso');
      return { status: 'success' };
    });
  }

  /**
   * PySocketCommLib's `async with tracker.track_async_performance('async_op')`. On Node 24+ (or
   * TypeScript) the block is written
   *     await using op = this.tracker.trackAsyncPerformance('async_op');
   * Node 20 has no `await using` yet, so this uses the equivalent callback form.
   */
  async asyncOperation() {
    await this.tracker.trackAsyncPerformance('async_op', async () => {
      this.logger.info('Iniciando operação assíncrona');
      await sleep(50);
      this.metrics.incrementCounter('async_operations');
      this.logger.info('Operação assíncrona concluída');
    });
  }
}

// Application usage
const app = new MonitoredApplication();
await app.startMonitoring();

// A small HTTP front so the application keeps taking requests after the scripted ones.
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/process') {
    res.writeHead(404, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ error: 'not found' }));
  }
  const result = await app.processRequest({ id: url.searchParams.get('id') ?? 'http', data: 'via http' });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result));
});
await new Promise((resolve) => server.listen(Number(process.env.APP_PORT ?? 3000), '127.0.0.1', resolve));

// Stops on a signal or after EXAMPLE_DURATION_MS: stop monitoring, flush, close the pool.
// Installed before the scripted requests so a signal during them is handled the same way.
let stopping = false;
const stopAt = setTimeout(stop, Number(process.env.EXAMPLE_DURATION_MS ?? 600_000));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

// Simulated application operations
for (let i = 0; i < 10 && !stopping; i++) {
  await app.processRequest({ id: `req-${i}`, data: `test-${i}` });
  await sleep(100);
}
if (!stopping) {
  await app.asyncOperation();
  app.logger.info('Monitoramento disponível', {
    url: app.endpoints.getUrl(),
    app: `http://127.0.0.1:${server.address().port}`,
    hint: 'Ctrl+C para parar',
  });
}

async function stop() {
  if (stopping) return;
  stopping = true;
  clearTimeout(stopAt);
  server.close();
  server.closeIdleConnections();
  await app.stopMonitoring();
  await shutdown(); // flush traces/metrics/logs when register started an SDK
  await app.db.end();
  app.logger.info('Aplicação parada');
}
