// docs/api.md, MetricsCollector and "Bad input": collectSystemMetrics() in a plain script, the
// default histogram buckets per unit, and the two warning channels (Node's MonitoringWarning
// without an SDK, the OTel diag logger once one runs, filtered by OTEL_LOG_LEVEL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsCollector } from '@socketcomm/monitoring';
import { startApp, waitFor } from '../helpers.js';

/** Metric family names of a Prometheus text exposition. */
const families = (text) =>
  new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]),
  );
/** The `le` bounds of one histogram family, in order. */
const bounds = (text, family) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${family}_bucket{`))
    .map((l) => /le="([^"]+)"/.exec(l)[1]);

test('collectSystemMetrics() in a plain script: CPU, memory, disk, event loop, heap and GC metrics appear', async () => {
  const m = new MetricsCollector();
  m.incrementCounter('api.promise.started');
  const before = families(await m.exportPrometheus());
  assert.ok(before.has('api_promise_started_total'), 'the facade serves its own metric');
  const expected = [
    'process_cpu_time_seconds_total', // CPU
    'system_cpu_time_seconds_total',
    'system_memory_usage', // memory
    'process_memory_usage',
    'system_filesystem_usage_bytes', // disk
    'nodejs_eventloop_delay_p99_seconds', // event loop
    'v8js_memory_heap_used_bytes', // heap
    'v8js_gc_duration_seconds_count', // GC
  ];
  for (const f of expected) assert.ok(!before.has(f), `${f} not collected before the call`);

  await m.collectSystemMetrics();
  // Garbage, so that the GC histogram has an observation to show.
  {
    const junk = [];
    for (let i = 0; i < 300_000; i++) junk.push({ i, s: `x${i}` });
  }
  const after = await waitFor(
    async () => {
      const f = families(await m.exportPrometheus());
      return expected.every((x) => f.has(x)) && f;
    },
    10_000,
    200,
  ).catch(() => families(''));
  for (const f of expected) assert.ok(after.has(f), `${f} collected after collectSystemMetrics()`);
});

test('histograms without declared buckets: [0.005 … 10] for unit s, the OTel defaults [0 … 10000] otherwise', async () => {
  const m = new MetricsCollector();
  m.declareHistogram('api.promise.wait', { unit: 's' });
  m.declareHistogram('api.promise.took', { unit: 'ms' });
  m.declareHistogram('api.promise.custom', { unit: 's', buckets: [0.5, 1] });
  m.recordHistogram('api.promise.wait', 0.2);
  m.recordHistogram('api.promise.took', 20);
  m.recordHistogram('api.promise.undeclared', 3);
  m.recordHistogram('api.promise.custom', 0.7);
  const text = await m.exportPrometheus();
  const seconds = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf'];
  const otel = ['0', '5', '10', '25', '50', '75', '100', '250', '500', '750', '1000', '2500', '5000', '7500', '10000', '+Inf'];
  assert.deepEqual(bounds(text, 'api_promise_wait_seconds'), seconds);
  assert.deepEqual(bounds(text, 'api_promise_took_milliseconds'), otel);
  assert.deepEqual(bounds(text, 'api_promise_undeclared'), otel);
  assert.deepEqual(bounds(text, 'api_promise_custom_seconds'), ['0.5', '1', '+Inf'], 'declared buckets win');
  // The observation is counted in its bucket: 0.2 s is in le=0.25 but not in le=0.1.
  const line = (le) => text.split('\n').find((l) => l.startsWith('api_promise_wait_seconds_bucket{') && l.includes(`le="${le}"`));
  assert.match(line('0.1'), / 0$/);
  assert.match(line('0.25'), / 1$/);
});

const BAD = {
  counter: /counter "bad\.counter" got value -1/,
  gauge: /gauge "bad\.gauge" got value NaN/,
  histogram: /histogram "bad\.histogram" got value Infinity/,
};
const count = (text, re) => text.split('\n').filter((l) => re.test(l)).length;
const run = async (opts) => {
  const app = startApp('test/promises/fixtures/bad-input.mjs', opts);
  const { code } = await app.exited;
  assert.equal(code, 0, app.out.stderr);
  assert.match(app.out.stdout, /DONE/);
  return app.out;
};

test('bad input without an SDK: one MonitoringWarning per problem; once the facade has started its SDK, the diag logger', async () => {
  const out = await run({ register: false });
  const events = out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  assert.equal(events.length, 2, JSON.stringify(events));
  assert.ok(
    events.every((e) => e.warning === 'MonitoringWarning'),
    JSON.stringify(events),
  );
  assert.match(events[0].message, BAD.counter);
  assert.match(events[1].message, BAD.gauge);
  // Node prints process warnings on stderr, once each even though the counter call was made twice.
  assert.equal(count(out.stderr, /MonitoringWarning: counter "bad\.counter"/), 1, out.stderr);
  assert.equal(count(out.stderr, /MonitoringWarning: gauge "bad\.gauge"/), 1, out.stderr);
  // After exportPrometheus() started the minimal SDK: the diag logger, not a process warning.
  assert.equal(count(out.stderr, /^@socketcomm\/monitoring: histogram "bad\.histogram" got value Infinity/), 1, out.stderr);
  assert.ok(!events.some((e) => BAD.histogram.test(e.message)));
});

test('bad input under register: the diag logger at OTEL_LOG_LEVEL (default warn), silent at error', async () => {
  const env = { MONITORING_PORT: '0', MONITORING_HOST: '127.0.0.1' };
  const [warn, error] = await Promise.all([run({ env }), run({ env: { ...env, OTEL_LOG_LEVEL: 'error' } })]);
  assert.ok(!/MonitoringWarning/.test(warn.stderr) && !warn.stdout.includes('"warning"'), 'no process warning once an SDK runs');
  for (const re of Object.values(BAD)) {
    assert.equal(count(warn.stderr, new RegExp(`^@socketcomm/monitoring: ${re.source}`)), 1, `${re}: ${warn.stderr}`);
  }
  assert.equal(error.stderr, '', 'OTEL_LOG_LEVEL=error hides warnings');
  assert.ok(!error.stdout.includes('"warning"'));
});
