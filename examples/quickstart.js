// The "Uso Rápido" (quick start) of PySocketCommLib's Python monitoring module in JavaScript: metrics, a tracked function, health,
// a structured log line, and the monitoring server.
//   MONITORING_PORT=9464 node examples/quickstart.js
// Under register (traces and OTLP export too), the example's HealthEndpoints.start() shares
// register's server on the same port instead of opening a second one:
//   MONITORING_PORT=9464 node --import ./register examples/quickstart.js
// It keeps serving until SIGTERM / Ctrl+C, or EXAMPLE_DURATION_MS (default 10 minutes).
import { MetricsCollector, PerformanceTracker, HealthChecker, StructuredLogger, HealthEndpoints, shutdown } from '@socketcomm/monitoring';

// Basic initialisation: every constructor returns the process's shared instance.
const metrics = new MetricsCollector();
const tracker = new PerformanceTracker();
const health = new HealthChecker();
const logger = new StructuredLogger();
// Loopback only: the details behind /health and /status are for this machine.
const endpoints = new HealthEndpoints({ host: process.env.MONITORING_HOST ?? '127.0.0.1' });

// Metrics
metrics.incrementCounter('requests.total');
metrics.recordGauge('memory.usage', 1024);

// Performance tracking: PySocketCommLib's @tracker.track_performance on a plain function.
// (In TypeScript / on a class method the decorator itself works: `@tracker.trackPerformance`.)
const myFunction = tracker.trackPerformance(function myFunction() {
  // Your logic here. A log line inside a tracked operation carries its trace_id / span_id.
  logger.info('inside my_function', { step: 'work' });
  metrics.incrementCounter('requests.total');
  return 42;
});
myFunction();

// Structured logging
logger.info('Operação realizada', { user_id: '123' });

// Start the HTTP endpoints
await endpoints.start();
await health.runAllChecks();
logger.info('Monitoramento disponível', { url: endpoints.getUrl() });

// Keep doing a little work so /metrics moves; the monitoring server alone (unref'd) would
// not keep the process alive.
const work = setInterval(myFunction, 1000);
const stopAt = setTimeout(stop, Number(process.env.EXAMPLE_DURATION_MS ?? 600_000));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

async function stop() {
  clearInterval(work);
  clearTimeout(stopAt);
  await endpoints.stop();
  await shutdown(); // flushes the SDK when register started one; harmless otherwise
  logger.info('Monitoramento parado');
}
