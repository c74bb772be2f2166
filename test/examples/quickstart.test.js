// examples/quickstart.js: the quick start of PySocketCommLib's Python monitoring module, with plain node and under register.
import { test } from 'node:test';
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
  assertHealthAnswer,
  TRACE_ID,
} from './example-helpers.js';

async function exercise(app, { traced }) {
  const ready = await waitForLog(app, 'Monitoramento disponível');
  assert.equal(ready.url, app.monitoringUrl, 'prints getUrl(): the loopback monitoring URL');
  await waitForHttp(`${app.monitoringUrl}/health/live`);

  const health = await getJson(`${app.monitoringUrl}/health`);
  assertHealthAnswer(health);
  for (const check of ['system_resources', 'memory', 'disk', 'event_loop']) assert.ok(health.body.checks[check], `default check ${check}`);
  const ready2 = await getJson(`${app.monitoringUrl}/health/ready`);
  assert.equal(ready2.status, 200);
  assert.equal(ready2.body.status, 'ready');

  const { body: summary } = await getJson(`${app.monitoringUrl}/metrics`);
  assert.ok(summary.counters['requests.total'] >= 2, 'requests.total counted at start and in myFunction');
  assert.equal(summary.gauges['memory.usage'], 1024);
  const op = series(summary, 'operation.duration', { operation: 'myFunction', outcome: 'success' });
  assert.equal(op.length, 1);
  assert.ok(op[0].value.count >= 1);

  const prom = await getText(`${app.monitoringUrl}/metrics?format=prometheus`);
  assert.equal(prom.status, 200);
  assert.match(prom.text, /^requests_total\{[^}]*\} \d+/m);
  assert.match(prom.text, /^memory_usage\{[^}]*\} 1024$/m);
  assert.match(prom.text, /^operation_duration_seconds_count\{operation="myFunction",outcome="success"/m);

  const lines = jsonLines(app);
  const done = lines.find((l) => l.msg === 'Operação realizada');
  assert.equal(done.user_id, '123');
  assert.equal(done.level, 'info');
  const inside = lines.find((l) => l.msg === 'inside my_function');
  assert.ok(inside);
  if (traced) assert.match(inside.trace_id, TRACE_ID, 'a line inside the tracked function carries its trace');
  else assert.equal(inside.trace_id, undefined, 'no SDK without register: no trace ids');
}

test('quickstart with plain node: metrics, tracked function, health, logs, endpoints; SIGTERM exits 0', { timeout: 20000 }, async () => {
  const app = await startExample('quickstart.js', { register: false });
  try {
    await exercise(app, { traced: false });
    await assertCleanStop(app);
    assert.equal(jsonLines(app).at(-1).msg, 'Monitoramento parado');
  } finally {
    await app.stop('SIGKILL');
  }
});

test('quickstart under --import ./register (register server off): the same, with trace ids', { timeout: 20000 }, async () => {
  const app = await startExample('quickstart.js', { env: { MONITORING_SERVER: 'false' } });
  try {
    await exercise(app, { traced: true });
    await assertCleanStop(app);
    assert.equal(jsonLines(app).at(-1).msg, 'Monitoramento parado');
  } finally {
    await app.stop('SIGKILL');
  }
});
