// PerformanceTracker: every form makes the right spans (tree, status, exception events) and
// the operation metrics read back exactly. Spans are read from an in-memory exporter.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { PerformanceTracker, MetricsCollector } from '../../dist/index.js';
import { captureWarnings } from '../helpers.js';

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();
beforeEach(() => exporter.reset());
const warnings = captureWarnings();

const spans = () => exporter.getFinishedSpans();
const byName = (n) => spans().find((s) => s.name === n);
const parentOf = (s) => s.parentSpanContext?.spanId;

function fresh() {
  const metrics = new MetricsCollector({ isolated: true });
  return { metrics, tracker: new PerformanceTracker({ metrics }) };
}
function series(metrics, name, attrs) {
  return metrics.getMetricsSummary().series.find((s) => s.name === name && Object.entries(attrs).every(([k, v]) => s.attributes[k] === v))
    ?.value;
}

test('wrapped sync function keeps this, arguments, return value, name and length; one span', () => {
  const { tracker } = fresh();
  const obj = {
    base: 10,
    add: tracker.trackPerformance(function add(a, b) {
      return this.base + a + b;
    }),
  };
  assert.equal(obj.add(1, 2), 13);
  assert.equal(obj.add.name, 'add');
  assert.equal(obj.add.length, 2);
  assert.equal(spans().length, 1);
  assert.equal(spans()[0].name, 'add');
  assert.equal(spans()[0].status.code, SpanStatusCode.UNSET);
  assert.equal(spans()[0].instrumentationScope.name, '@socketcomm/monitoring');
});

test('nested tracked operations form a parent/child tree; the span is active inside', async () => {
  const { tracker } = fresh();
  let activeInside;
  const inner = tracker.trackAsyncPerformance(async function inner() {
    await new Promise((r) => setTimeout(r, 2));
    activeInside = trace.getActiveSpan()?.spanContext().spanId;
    return 'x';
  });
  const outer = tracker.trackPerformance(async function outer() {
    const a = await inner();
    const b = tracker.trackPerformance('block.sync', () => 'y');
    const c = await tracker.trackPerformance('block.async', async () => {
      await Promise.resolve();
      return 'z';
    });
    return a + b + c;
  });
  assert.equal(await outer(), 'xyz');
  const o = byName('outer');
  assert.equal(parentOf(o), undefined);
  for (const n of ['inner', 'block.sync', 'block.async']) {
    assert.equal(parentOf(byName(n)), o.spanContext().spanId, `${n} is a child of outer`);
    assert.equal(byName(n).spanContext().traceId, o.spanContext().traceId);
  }
  assert.equal(activeInside, byName('inner').spanContext().spanId);
  assert.equal(trace.getActiveSpan(), undefined, 'nothing stays active afterwards');
});

test('throw and reject: the same error is rethrown, span has status ERROR and an exception event', async () => {
  const { tracker, metrics } = fresh();
  const syncErr = new RangeError('sync boom');
  const asyncErr = new TypeError('async boom');
  const f = tracker.trackPerformance(function failing() {
    throw syncErr;
  });
  const g = tracker.trackAsyncPerformance(async function rejecting() {
    await null;
    throw asyncErr;
  });
  assert.throws(
    () => f(),
    (e) => e === syncErr,
  );
  await assert.rejects(g(), (e) => e === asyncErr);
  assert.throws(
    () =>
      tracker.trackPerformance('block.fail', () => {
        throw syncErr;
      }),
    (e) => e === syncErr,
  );
  const nonError = { code: 42 };
  await assert.rejects(
    tracker.trackPerformance('block.reject', () => Promise.reject(nonError)),
    (e) => e === nonError,
  );
  for (const [name, err] of [
    ['failing', syncErr],
    ['rejecting', asyncErr],
    ['block.fail', syncErr],
  ]) {
    const s = byName(name);
    assert.equal(s.status.code, SpanStatusCode.ERROR, name);
    assert.equal(s.status.message, err.message);
    const ev = s.events.find((e) => e.name === 'exception');
    assert.ok(ev, `${name} has an exception event`);
    assert.equal(ev.attributes['exception.type'], err.name);
    assert.equal(ev.attributes['exception.message'], err.message);
    assert.match(String(ev.attributes['exception.stacktrace']), /boom/);
  }
  assert.equal(byName('block.reject').status.code, SpanStatusCode.ERROR);
  assert.equal(series(metrics, 'operation.errors', { operation: 'failing' }), 1);
  assert.equal(series(metrics, 'operation.errors', { operation: 'rejecting' }), 1);
  assert.equal(series(metrics, 'operation.duration', { operation: 'failing', outcome: 'error' }).count, 1);
  assert.equal(series(metrics, 'operation.duration', { operation: 'failing', outcome: 'success' }).count, 0);
});

test('credentials in an error message never reach the span', () => {
  const { tracker } = fresh();
  assert.throws(() =>
    tracker.trackPerformance('db.connect', () => {
      throw new Error('cannot connect to postgres://app:CANARY-7731@db:5432/x');
    }),
  );
  const s = byName('db.connect');
  assert.doesNotMatch(JSON.stringify([s.status, s.events]), /CANARY-7731/);
  assert.match(s.status.message, /postgres:\/\/app:\*\*\*@db/);
});

test('histogram and error counter read back exactly', async () => {
  const { tracker, metrics } = fresh();
  const ok = tracker.trackPerformance(function work(ms) {
    const end = performance.now() + ms;
    while (performance.now() < end);
    return ms;
  });
  for (let i = 0; i < 7; i++) ok(1);
  const bad = tracker.trackPerformance(function work2() {
    throw new Error('x');
  });
  for (let i = 0; i < 3; i++) assert.throws(() => bad());
  const h = series(metrics, 'operation.duration', { operation: 'work', outcome: 'success' });
  assert.equal(h.count, 7);
  assert.ok(h.min >= 0.001 && h.max < 1, `durations are in seconds (min ${h.min})`);
  assert.equal(series(metrics, 'operation.errors', { operation: 'work2' }), 3);
  assert.equal(series(metrics, 'operation.errors', { operation: 'work' }), 0);
  const text = await metrics.exportPrometheus();
  assert.match(text, /^operation_duration_seconds_count\{operation="work",outcome="success".*\} 7$/m);
  assert.match(text, /^operation_errors_total\{operation="work2".*\} 3$/m);
  // The unit is the instrument's ('s'), which the exposition turns into the _seconds suffix.
  assert.deepEqual(
    [
      ...new Set(
        metrics
          .getMetricsSummary()
          .series.filter((s) => s.name === 'operation.duration')
          .map((s) => s.unit),
      ),
    ],
    ['s'],
  );
  assert.match(text, /^# TYPE operation_duration_seconds histogram$/m);
});

test('using-handle: explicit dispose ends the span, children attach to it, fail() marks the error', async () => {
  const { tracker, metrics } = fresh();
  const h = tracker.trackPerformance('handle.op');
  assert.equal(trace.getActiveSpan()?.spanContext().spanId, h.span.spanContext().spanId, 'active in the block');
  tracker.trackPerformance('handle.child', () => {});
  h[Symbol.dispose]();
  h[Symbol.dispose](); // idempotent
  assert.equal(trace.getActiveSpan(), undefined, 'restored after dispose');
  assert.equal(parentOf(byName('handle.child')), byName('handle.op').spanContext().spanId);
  assert.equal(spans().filter((s) => s.name === 'handle.op').length, 1);

  const a = tracker.trackAsyncPerformance('handle.async');
  const err = new Error('handled');
  a.fail(err);
  await a[Symbol.asyncDispose]();
  const s = byName('handle.async');
  assert.equal(s.status.code, SpanStatusCode.ERROR);
  assert.ok(s.events.some((e) => e.name === 'exception'));
  assert.equal(series(metrics, 'operation.errors', { operation: 'handle.async' }), 1);
  assert.equal(series(metrics, 'operation.duration', { operation: 'handle.op', outcome: 'success' }).count, 1);
});

test('decorator called the standard way wraps the method with the method name', () => {
  const { tracker } = fresh();
  const method = function compute(x) {
    return this.k * x;
  };
  const replaced = tracker.trackPerformance(method, { kind: 'method', name: 'compute', static: false, private: false });
  assert.equal(replaced.call({ k: 3 }, 5), 15);
  assert.equal(byName('compute').name, 'compute');
});

test('invalid arguments never throw by default and are reported once each; TypeError under MONITORING_STRICT=1', async () => {
  const { tracker } = fresh();
  const h = tracker.trackPerformance(42);
  assert.equal(typeof h[Symbol.dispose], 'function');
  h.end();
  tracker.trackPerformance(42).end();
  assert.equal(
    tracker.trackPerformance(null, () => 7),
    7,
    'callback still runs',
  );
  assert.equal(
    tracker.trackPerformance(null, () => 8),
    8,
  );
  assert.equal((await warnings.matching(/^trackPerformance: expected a function or a non-empty operation name, got 42$/)).length, 1);
  assert.equal((await warnings.matching(/^trackPerformance: expected a function or a non-empty operation name, got null$/)).length, 1);
  process.env.MONITORING_STRICT = '1';
  try {
    assert.throws(() => tracker.trackPerformance(42), TypeError);
    assert.throws(() => tracker.trackPerformance('x', 5), TypeError);
    assert.throws(() => new PerformanceTracker({ metrics: {} }), TypeError);
  } finally {
    delete process.env.MONITORING_STRICT;
  }
});
