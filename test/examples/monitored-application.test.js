// examples/monitored-application.js: the complete MonitoredApplication of PySocketCommLib's Python monitoring module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../helpers.js';
import {
  startExample,
  waitForLog,
  jsonLines,
  getJson,
  getText,
  assertCleanStop,
  series,
  recentSpans,
  TRACE_ID,
} from './example-helpers.js';

test(
  'MonitoredApplication under register: 10 tracked requests with context, async op, health, readiness, metrics, clean stop',
  { timeout: 20000 },
  async () => {
    const app = await startExample('monitored-application.js', { env: { MONITORING_SERVER: 'false' } });
    try {
      const started = await waitForLog(app, 'Monitoramento iniciado');
      assert.equal(started.endpoints_url, app.monitoringUrl);
      const available = await waitForLog(app, 'Monitoramento disponível');
      assert.equal(available.url, app.monitoringUrl);

      // process_request: two lines per request, with its request_id and the tracked span's trace.
      const lines = jsonLines(app);
      for (let i = 0; i < 10; i++) {
        const mine = lines.filter((l) => l.request_id === `req-${i}`);
        assert.deepEqual(
          mine.map((l) => l.msg),
          ['Processando request', 'Request processado com sucesso'],
          `req-${i}`,
        );
        assert.equal(mine[0].data, `test-${i}`);
        assert.match(mine[0].trace_id, TRACE_ID);
        assert.equal(mine[1].trace_id, mine[0].trace_id, 'both lines inside the same tracked operation');
      }
      const asyncLines = lines.filter((l) => /operação assíncrona/i.test(l.msg));
      assert.equal(asyncLines.length, 2);
      assert.match(asyncLines[0].trace_id, TRACE_ID);
      assert.equal(asyncLines[0].request_id, undefined, 'the request context does not leak');

      // The app keeps serving: one more request over HTTP.
      const r = await getJson(`${app.appUrl}/process?id=http-1`);
      assert.deepEqual(r, { status: 200, body: { status: 'success' }, headers: r.headers });
      assert.ok(jsonLines(app).some((l) => l.request_id === 'http-1' && l.msg === 'Request processado com sucesso'));

      // Health: the custom database check is a real round trip; readiness hits real PostgreSQL.
      const health = await getJson(`${app.monitoringUrl}/health`);
      assert.equal(health.body.checks.database.status, 'healthy');
      assert.equal(health.body.checks.database.message, 'Database OK');
      assert.equal(typeof health.body.checks.database.details.round_trip_ms, 'number');
      const ready = await getJson(`${app.monitoringUrl}/health/ready`);
      assert.equal(ready.status, 200);
      assert.equal(ready.body.checks.main_db.status, 'healthy');

      const { body: summary } = await getJson(`${app.monitoringUrl}/metrics`);
      assert.equal(summary.counters['requests.processed'], 11);
      assert.equal(summary.counters['async_operations'], 1);
      assert.equal(typeof summary.gauges['last_request_size'], 'number');
      assert.equal(series(summary, 'operation.duration', { operation: 'processRequest', outcome: 'success' })[0].value.count, 11);
      assert.equal(series(summary, 'operation.duration', { operation: 'async_op', outcome: 'success' })[0].value.count, 1);
      assert.ok(series(summary, 'log.records', { level: 'info' })[0].value >= 24, 'setMetricsIntegration counts lines');

      const prom = (await getText(`${app.monitoringUrl}/metrics?format=prometheus`)).text;
      for (const name of [
        'requests_processed_total',
        'async_operations_total',
        'last_request_size',
        'log_records_total',
        'operation_duration_seconds_bucket',
        'health_check_status',
        'readiness_status',
      ]) {
        assert.match(prom, new RegExp(`^${name}\\{`, 'm'), name);
      }

      const spans = await recentSpans(app.monitoringUrl);
      assert.equal(spans.filter((s) => s.name === 'processRequest').length, 11);
      assert.equal(spans.filter((s) => s.name === 'async_op').length, 1);

      await assertCleanStop(app);
      assert.deepEqual(
        jsonLines(app)
          .slice(-2)
          .map((l) => l.msg),
        ['Monitoramento parado', 'Aplicação parada'],
      );
    } finally {
      await app.stop('SIGKILL');
    }
  },
);

test(
  'MonitoredApplication with plain node and its database down: /health/ready 503 naming main_db, still stops cleanly',
  { timeout: 20000 },
  async () => {
    const closed = await freePort();
    const app = await startExample('monitored-application.js', {
      register: false,
      env: { READINESS_DB_URL: `postgresql://postgres:s3cret@127.0.0.1:${closed}/postgres` },
    });
    try {
      await waitForLog(app, 'Monitoramento iniciado');
      const ready = await getJson(`${app.monitoringUrl}/health/ready`);
      assert.equal(ready.status, 503);
      assert.equal(ready.body.status, 'not_ready');
      assert.equal(ready.body.checks.main_db.status, 'unhealthy');
      const health = await getJson(`${app.monitoringUrl}/health`);
      assert.equal(health.body.checks.database.status, 'unhealthy');
      assert.doesNotMatch(JSON.stringify([ready.body, health.body]), /s3cret/, 'the password never shows');
      await assertCleanStop(app);
    } finally {
      await app.stop('SIGKILL');
    }
  },
);
