// Tracked operations and correlated logs. Run: node --import ./register examples/tracking.js
// (with OTEL_EXPORTER_OTLP_ENDPOINT set, spans and log records also go to the collector).
import { PerformanceTracker, StructuredLogger, MetricsCollector } from '@socketcomm/monitoring';

const tracker = new PerformanceTracker();
const logger = new StructuredLogger({ fields: { component: 'example' } });
logger.setMetricsIntegration(new MetricsCollector());

const loadUser = tracker.trackAsyncPerformance(async function loadUser(id) {
  await new Promise((r) => setTimeout(r, 5));
  logger.info('user loaded', { user_id: id, password: 'never printed' });
  return { id };
});

await logger.context({ request_id: 'req-1' }, () =>
  tracker.trackPerformance('handle.request', async () => {
    await loadUser('42');
    try {
      await tracker.trackPerformance('payment', async () => {
        throw new Error('card declined by postgres://pay:s3cret@db/payments');
      });
    } catch (err) {
      logger.exception('payment failed', err);
    }
  }),
);
logger.info('done (this line has no trace_id)');
console.log(
  await new MetricsCollector().exportPrometheus().then((t) =>
    t
      .split('\n')
      .filter((l) => /^(operation_|log_records)/.test(l) && !l.includes('_bucket'))
      .join('\n'),
  ),
);
