// examples/demo.js (`npm start`): metrics, tracked operations, JSON logs, checks; stops by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers.js';
import { startExample, jsonLines, getJson, getText, series, recentSpans, TRACE_ID } from './example-helpers.js';

test('demo: prints its URLs, shows traces, logs, checks and metrics, exits 0 after DEMO_DURATION_MS', { timeout: 20000 }, async () => {
  const app = await startExample('demo.js', { env: { DEMO_DURATION_MS: '4000', DEMO_LOG_SAMPLING: '1' } });
  try {
    const first = await waitFor(() => app.out.stdout.split('\n')[0] && jsonLines(app)[0]);
    assert.deepEqual(first, { msg: 'demo app listening', app: app.appUrl, monitoring: app.monitoringUrl });
    await waitFor(() => jsonLines(app).filter((l) => l.msg === 'Request completed').length >= 8, 10000);

    const { body: summary } = await getJson(`${app.monitoringUrl}/metrics`);
    assert.ok(series(summary, 'demo.requests').length > 0);
    assert.ok(series(summary, 'operation.duration', { operation: 'simulatedWork', outcome: 'success' })[0].value.count > 0);
    assert.ok(series(summary, 'log.records', { level: 'info' })[0].value > 0, 'logger counts its lines (register + ESM app)');
    assert.match((await getText(`${app.monitoringUrl}/metrics?format=prometheus`)).text, /^demo_work_duration_seconds_bucket\{/m);

    const health = await getJson(`${app.monitoringUrl}/health`);
    assert.match(health.body.checks.demo_queue.message, /^queue depth \d$/);
    const ready = await getJson(`${app.monitoringUrl}/health/ready`);
    assert.equal(ready.body.checks.demo_app.status, 'healthy');

    const spans = await recentSpans(app.monitoringUrl);
    const work = spans.find((s) => s.name === 'simulatedWork');
    assert.ok(work?.parentSpanId, 'tracked work is a child span');
    const ends = jsonLines(app).filter((l) => l.msg === 'Request completed');
    assert.ok(
      ends.every((l) => TRACE_ID.test(l.trace_id)),
      'request lines carry the trace id',
    );

    const { code, signal } = await app.exited;
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, 'stops by itself');
    assert.equal(app.out.stderr, '');
    jsonLines(app);
  } finally {
    await app.stop('SIGKILL');
  }
});
