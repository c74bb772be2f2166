// docs/status-page.md: the JSON routes (/api/overview, /api/traces?limit&status, /api/trace and its
// 404, /api/latency, /api/metrics) and the bounds set by MONITORING_RECENT_SPANS / _LOGS and
// MONITORING_UI_TRACES_PER_SECOND / _SAMPLE_MS / _HISTORY_POINTS / _HISTORY_SERIES, against one app
// under register (test/promises/fixtures/ui-app.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, waitFor } from '../helpers.js';

let app;
let base;
let ids;
let startedAt;

before(async () => {
  app = startApp('test/promises/fixtures/ui-app.mjs', {
    env: {
      MONITORING_PORT: '0',
      MONITORING_HOST: '127.0.0.1',
      MONITORING_HEALTH_INTERVAL_MS: '0', // no background check spans taking from the trace budget
      MONITORING_RECENT_SPANS: '30',
      MONITORING_RECENT_LOGS: '5',
      MONITORING_UI_TRACES_PER_SECOND: '1', // bursts of 5 s worth: 5 traces
      MONITORING_UI_SAMPLE_MS: '100',
      MONITORING_UI_HISTORY_POINTS: '4',
      MONITORING_UI_HISTORY_SERIES: '3',
      OTEL_SERVICE_NAME: 'ui-promises',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=2.3.4,deployment.environment.name=test',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.startsWith('{"url"')), 15000);
  startedAt = performance.now();
  ({ url: base, ...ids } = JSON.parse(line));
});
after(() => app?.stop());

const json = async (path) => {
  const r = await fetch(`${base}${path}`);
  return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
};

test('/api/traces: newest first, ?limit=, ?status=error; MONITORING_UI_TRACES_PER_SECOND=1 keeps 5 of 20 traces whole', async () => {
  const all = (await json('/api/traces')).body;
  assert.equal(all.authorized, true);
  assert.equal(all.capacitySpans, 30, 'MONITORING_RECENT_SPANS');
  const starts = all.traces.map((t) => t.startTimeMs);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => b - a),
    'newest first',
  );
  // The first five root spans took the burst; the other 15 are only counted, or kept as
  // latency/error examples (marked partial).
  const whole = all.traces
    .filter((t) => !t.partial)
    .map((t) => t.traceId)
    .sort();
  assert.deepEqual(whole, [...ids.failing, ids.logged, ids.rate[0], ids.rate[1]].sort(), JSON.stringify(all.traces));
  for (const t of all.traces) assert.ok(ids.rate.includes(t.traceId) || whole.includes(t.traceId));
  const keys = ['traceId', 'rootName', 'startTimeMs', 'durationMs', 'spanCount', 'errorCount', 'status', 'sampled', 'partial'];
  for (const k of keys) assert.ok(k in all.traces[0], `${k} in ${JSON.stringify(all.traces[0])}`);

  const two = (await json('/api/traces?limit=2')).body.traces;
  assert.deepEqual(
    two.map((t) => t.traceId),
    all.traces.slice(0, 2).map((t) => t.traceId),
  );
  const errors = (await json('/api/traces?status=error')).body.traces;
  assert.deepEqual(errors.map((t) => t.traceId).sort(), [...ids.failing].sort());
  assert.ok(errors.every((t) => t.status === 'error' && t.errorCount === 1 && t.rootName === 'fail-op'));
  for (const bad of ['?status=bogus', '?limit=0', '?limit=abc', '?limit=1001']) {
    const r = await json(`/api/traces${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.status, 400);
    assert.equal(r.body.error, 'Bad Request');
    assert.equal(typeof r.body.message, 'string');
  }
});

test("/api/trace: spans and the trace's log lines, only the last MONITORING_RECENT_LOGS=5 kept; 404 when not kept, 400 on a bad id", async () => {
  const t = await json(`/api/trace?id=${ids.logged}`);
  assert.equal(t.status, 200);
  assert.deepEqual(
    t.body.spans.map((s) => s.name),
    ['log-op'],
  );
  assert.deepEqual(
    t.body.logs.map((l) => l.msg),
    ['line 7', 'line 8', 'line 9', 'line 10', 'line 11'],
  );
  assert.ok(t.body.logs.every((l) => l.level === 'info' && l.spanId === t.body.spans[0].spanId));

  const unknown = await json(`/api/trace?id=${'0123456789abcdef'.repeat(2)}`);
  assert.equal(unknown.status, 404);
  assert.match(unknown.type, /application\/json/);
  assert.deepEqual(Object.keys(unknown.body).sort(), ['error', 'message', 'status']);
  assert.equal(unknown.body.status, 404);
  assert.match(unknown.body.message, /not kept/);
  for (const bad of ['', '?id=xyz', `?id=${'A'.repeat(32)}`]) assert.equal((await json(`/api/trace${bad}`)).status, 400, bad);
});

test('/api/latency: every span counted per name and bucket; MONITORING_RECENT_SPANS=30 bounds what is kept', async () => {
  const rows = (await json('/api/latency')).body.rows;
  const count = (name) => rows.find((r) => r.name === name)?.counts.reduce((a, b) => a + b, 0);
  assert.equal(count('rate-op'), 17);
  assert.equal(count('fail-op'), 2);
  assert.equal(rows.find((r) => r.name === 'fail-op').errors, 2);
  // One trace of 40 spans (after at least a second, so the budget has a token again).
  await new Promise((r) => setTimeout(r, Math.max(0, 1200 - (performance.now() - startedAt))));
  const big = await json('/fixture/big');
  assert.equal(big.status, 200);
  const after = (await json('/api/traces')).body;
  assert.ok(after.keptSpans <= 30, `kept ${after.keptSpans} spans, more than MONITORING_RECENT_SPANS`);
  const seen = (await json('/api/latency')).body.rows.reduce((n, r) => n + r.counts.reduce((a, b) => a + b, 0), 0);
  assert.ok(seen >= 60, `${seen} spans counted`);
  // The whole trace cannot fit: eviction dropped it once it outgrew the budget, and only its
  // later spans, each the first of its name (a latency example), were kept again, as a partial trace.
  const bigTrace = await json(`/api/trace?id=${big.body.id}`);
  assert.equal(bigTrace.status, 200);
  assert.ok(bigTrace.body.spans.length < 40, `${bigTrace.body.spans.length} of the 40 spans kept`);
  assert.equal(after.traces.find((t) => t.traceId === big.body.id).partial, true);
});

test('/api/overview: service, uptime and check details for an authorized client', async () => {
  const o = (await json('/api/overview')).body;
  assert.equal(o.authorized, true);
  assert.equal(o.service.name, 'ui-promises');
  assert.equal(o.service.version, '2.3.4');
  assert.equal(o.service.environment, 'test');
  assert.ok(o.uptimeSeconds > 0);
  const c = o.health.checks.warm_cache;
  assert.equal(c.status, 'healthy');
  assert.equal(c.message, 'cache warm');
  assert.deepEqual(c.details, { entries: 7 });
  assert.ok(c.age_seconds >= 0 && c.age_seconds < 60, JSON.stringify(c));
  assert.ok(['healthy', 'degraded', 'unhealthy'].includes(o.health.status));
  assert.equal(o.readiness.status, 'not_ready');
  assert.equal(o.readiness.checks.closed_port.status, 'unhealthy');
  assert.match(o.readiness.checks.closed_port.message, /127\.0\.0\.1:9/);
  assert.equal(o.ui.sampleMs, 100);
});

test('/api/metrics: MONITORING_UI_SAMPLE_MS=100, _HISTORY_POINTS=4 samples, _HISTORY_SERIES=3 series with a history', async () => {
  const m = await waitFor(
    async () => {
      const b = (await json('/api/metrics')).body;
      return b.times.length === 4 && b;
    },
    10000,
    100,
  );
  assert.equal(m.sampleMs, 100);
  assert.equal(m.historyPoints, 4);
  assert.equal(m.historySeriesLimit, 3);
  // Samples about 100 ms apart (each time is taken after its collection, so single gaps jitter;
  // the default would be 10 s).
  const mean = (m.times[3] - m.times[0]) / 3;
  assert.ok(mean >= 80 && mean < 2000, `mean gap ${mean} ms`);
  const tracked = m.series.filter((s) => s.history.length > 0);
  assert.ok(tracked.length >= 1 && tracked.length <= 3, `${tracked.length} series with a history`);
  assert.ok(m.series.every((s) => s.history.length === 0 || s.history.length === 4));
  assert.ok(m.droppedSeries > 0);
  assert.equal(m.totalSeries, m.series.length, 'every series listed (fewer than the default 500)');
  // Current values are there for every series, with or without a history.
  const gauges = m.series.filter((s) => s.name === 'ui.promise.gauge');
  assert.equal(gauges.length, 10);
  assert.deepEqual(
    gauges.map((g) => g.value).sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
});
