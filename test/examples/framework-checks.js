// The checks shared by the Express and Fastify examples: the middleware behaviour of PySocketCommLib's Python monitoring module.
import assert from 'node:assert/strict';
import { waitForHttp } from '../helpers.js';
import {
  startExample,
  waitForLog,
  jsonLines,
  getJson,
  getText,
  assertCleanStop,
  series,
  recentSpans,
  assertHealthAnswer,
  TRACE_ID,
} from './example-helpers.js';

export async function exerciseFrameworkExample(file, listeningMsg) {
  const app = await startExample(file);
  try {
    await waitForLog(app, listeningMsg);
    await waitForHttp(`${app.monitoringUrl}/health/live`);

    // App routes.
    for (let i = 0; i < 3; i++) assert.deepEqual((await getJson(`${app.appUrl}/`)).body, { ok: true });
    const user = await getJson(`${app.appUrl}/users/7`, { headers: { 'x-user-id': 'u-42' } });
    assert.deepEqual([user.status, user.body], [200, { id: '7', name: 'user-7' }]);
    const failed = await getJson(`${app.appUrl}/error`);
    assert.deepEqual([failed.status, failed.body], [500, { error: 'internal error' }], 'no message or stack in the reply');
    assert.equal(await fetch(`${app.appUrl}/nope`).then((r) => r.arrayBuffer().then(() => r.status)), 404);

    // The monitoring routes mounted in the app, and the register server.
    const mounted = await getJson(`${app.appUrl}/monitoring/health`);
    assertHealthAnswer(mounted);
    assert.ok(mounted.body.checks.memory, '/monitoring/health is the health route');
    assert.equal((await getJson(`${app.appUrl}/monitoring/health/ready`)).body.status, 'ready');
    assert.match((await getText(`${app.appUrl}/monitoring/metrics?format=prometheus`)).text, /^http_requests_total\{/m);
    assert.equal((await getJson(`${app.monitoringUrl}/health/ready`)).status, 200);

    // Metrics: one counter with a status attribute, a histogram in ms, tracker metrics.
    const { body: summary } = await getJson(`${app.monitoringUrl}/metrics`);
    const requests = (status, route) =>
      series(summary, 'http.requests', { status, method: 'GET', ...(route ? { route } : {}) }).reduce((n, s) => n + s.value, 0);
    assert.equal(requests(200, '/'), 3);
    assert.equal(requests(200, '/users/:id'), 1);
    assert.equal(requests(500, '/error'), 1);
    assert.equal(requests(404), 1);
    const dur = series(summary, 'http.request.duration', { route: '/users/:id' });
    assert.equal(dur.length, 1);
    assert.equal(dur[0].unit, 'ms');
    assert.ok(dur[0].value.min >= 5, `the /users/:id duration (${dur[0].value.min} ms) includes its ≥5 ms of work: milliseconds`);
    assert.equal(series(summary, 'operation.errors', { operation: 'riskyOperation' })[0].value, 1);
    assert.equal(series(summary, 'operation.duration', { operation: 'lookupUser', outcome: 'success' })[0].value.count, 1);

    const prom = (await getText(`${app.monitoringUrl}/metrics?format=prometheus`)).text;
    assert.match(prom, /^http_requests_total\{method="GET",route="\/error",status="500",[^}]*\} 1$/m);
    assert.match(prom, /^http_request_duration_milliseconds_bucket\{method="GET",route="\/users\/:id",[^}]*le="\+Inf"\} 1$/m);
    assert.match(prom, /^operation_errors_total\{operation="riskyOperation",[^}]*\} 1$/m);
    assert.match(prom, /^http_server_request_duration_seconds_count\{/m, 'the http instrumentation runs too');

    // Logs: start/end pairs with the same request_id and trace; levels by status; the exception.
    const lines = jsonLines(app);
    const starts = lines.filter((l) => l.msg === 'Request started');
    const ends = lines.filter((l) => l.msg === 'Request completed');
    assert.ok(starts.length >= 9, `${starts.length} request start lines`);
    for (const s of starts) {
      const e = ends.find((x) => x.request_id === s.request_id);
      assert.ok(e, `an end line for ${s.method} ${s.path}`);
      assert.match(s.trace_id, TRACE_ID);
      assert.equal(e.trace_id, s.trace_id, 'start and end lines in the same trace');
      assert.equal(e.path, s.path);
      assert.equal(typeof e.duration_ms, 'number');
    }
    const endOf = (path) => ends.find((l) => l.path === path);
    assert.deepEqual([endOf('/error').level, endOf('/error').status_code], ['error', 500]);
    assert.deepEqual([endOf('/nope').level, endOf('/nope').status_code], ['warning', 404]);
    assert.deepEqual([endOf('/').level, endOf('/').status_code, endOf('/').response_size], ['info', 200, 11]);
    const userStart = starts.find((l) => l.path === '/users/7');
    assert.equal(userStart.user_id, 'u-42', 'x-user-id header on the start line');
    const loaded = lines.find((l) => l.msg === 'user loaded');
    assert.equal(loaded.request_id, userStart.request_id, 'lines inside the handler carry the request context');
    assert.equal(loaded.trace_id, userStart.trace_id);
    const exc = lines.find((l) => l.msg === 'request failed');
    assert.deepEqual([exc.level, exc['exception.type'], exc['exception.message']], ['error', 'Error', 'simulated failure']);
    assert.equal(exc.trace_id, endOf('/error').trace_id);

    // Spans: the failed tracked operation is an ERROR span with the exception, under the request.
    const spans = await recentSpans(app.monitoringUrl);
    const risky = spans.find((s) => s.name === 'riskyOperation');
    assert.ok(risky, 'riskyOperation span');
    assert.equal(risky.status.code, 2);
    assert.ok(risky.events.some((e) => e.name === 'exception'));
    assert.equal(risky.traceId, exc.trace_id);
    assert.ok(
      spans.some((s) => s.traceId === risky.traceId && s.kind === 1),
      'the http server span of that request',
    );

    await assertCleanStop(app);
  } finally {
    await app.stop('SIGKILL');
  }
}
