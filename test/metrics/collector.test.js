import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { MetricsCollector } from '@socketcomm/monitoring';

const warnings = [];
diag.setLogger(
  { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {}, verbose() {} },
  { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
);
// Without an SDK the warnings use Node's warning channel (emitted on the next tick).
process.on('warning', (w) => warnings.push(w.message));
const tick = () => new Promise((r) => setImmediate(r));

test('new MetricsCollector() is the shared instance; isolated ones are separate', () => {
  const a = new MetricsCollector();
  const b = new MetricsCollector();
  assert.equal(a, b);
  a.incrementCounter('shared.counter');
  assert.equal(b.getMetricsSummary().counters['shared.counter'], 1);
  const c = new MetricsCollector({ isolated: true });
  assert.notEqual(c, a);
  assert.equal(c.getMetricsSummary().counters['shared.counter'], undefined);
});

test('1,000,000 increments from concurrent async tasks read back exactly', async () => {
  const m = new MetricsCollector({ isolated: true });
  const tasks = [];
  for (let t = 0; t < 100; t++) {
    tasks.push(
      (async () => {
        for (let i = 0; i < 10_000; i++) {
          m.incrementCounter('exact.count', 1, { worker: t % 4 });
          if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
        }
      })(),
    );
  }
  await Promise.all(tasks);
  const s = m.getMetricsSummary();
  assert.equal(s.counters['exact.count'], 1_000_000);
  const perWorker = s.series.filter((x) => x.name === 'exact.count').map((x) => x.value);
  assert.deepEqual(perWorker, [250_000, 250_000, 250_000, 250_000]);
  const text = await m.exportPrometheus();
  assert.match(text, /exact_count_total\{worker="0",otel_scope_name="@socketcomm\/monitoring",otel_scope_version="[^"]+"\} 250000\n/);
});

test('histogram count, sum, min, max and buckets are exact', async () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareHistogram('exact.latency', { unit: 'ms', buckets: [10, 100, 1000] });
  let sum = 0;
  for (let i = 1; i <= 10_000; i++) {
    m.recordHistogram('exact.latency', i % 2000);
    sum += i % 2000;
  }
  const h = m.getMetricsSummary().histograms['exact.latency'];
  assert.equal(h.count, 10_000);
  assert.equal(h.sum, sum);
  assert.equal(h.min, 0);
  assert.equal(h.max, 1999);
  assert.equal(h.avg, sum / 10_000);
  const text = await m.exportPrometheus();
  assert.match(text, /exact_latency_milliseconds_bucket\{[^}]*le="10"\} 55\n/);
  assert.match(text, /exact_latency_milliseconds_bucket\{[^}]*le="\+Inf"\} 10000\n/);
  assert.match(text, /exact_latency_milliseconds_count\{[^}]*\} 10000\n/);
});

test('the PySocketCommLib-compatible JSON shape: counters, gauges, histograms with count/sum/min/max/avg', () => {
  const m = new MetricsCollector({ isolated: true });
  m.incrementCounter('http.requests.total');
  m.incrementCounter('http.requests.total', 5);
  m.recordGauge('memory.usage.bytes', 1073741824);
  m.recordGauge('active.connections', 42);
  m.recordHistogram('request.duration.ms', 150.5);
  m.recordHistogram('request.duration.ms', 49.5);
  const s = m.getMetricsSummary();
  assert.deepEqual(s.counters, { 'http.requests.total': 6 });
  assert.deepEqual(s.gauges, { 'memory.usage.bytes': 1073741824, 'active.connections': 42 });
  assert.deepEqual(s.histograms['request.duration.ms'], { count: 2, sum: 200, min: 49.5, max: 150.5, avg: 100 });
});

test('attribute sets are order-independent and type-preserving', () => {
  const m = new MetricsCollector({ isolated: true });
  m.incrementCounter('attrs', 1, { a: 'x', b: 'y' });
  m.incrementCounter('attrs', 1, { b: 'y', a: 'x' });
  m.incrementCounter('attrs', 1, { code: 200 });
  m.incrementCounter('attrs', 1, { code: '200' });
  const series = m.getMetricsSummary().series.filter((s) => s.name === 'attrs');
  assert.equal(series.length, 3);
  assert.equal(series[0].value, 2);
});

test('bound handles add without lookup and stay exact', () => {
  const m = new MetricsCollector({ isolated: true });
  const c = m.counter('bound.count', { route: '/a' });
  const g = m.gauge('bound.gauge');
  const h = m.histogram('bound.hist', { route: '/a' });
  for (let i = 0; i < 1000; i++) c.add();
  c.add(5);
  g.set(7);
  h.record(3);
  m.incrementCounter('bound.count', 1, { route: '/a' });
  const s = m.getMetricsSummary();
  assert.equal(s.counters['bound.count'], 1006);
  assert.equal(s.gauges['bound.gauge'], 7);
  assert.equal(s.histograms['bound.hist'].count, 1);
});

test('cardinality limit: overflow series, bounded memory, one warning', async () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareCounter('card', { cardinalityLimit: 100 });
  warnings.length = 0;
  for (let i = 0; i < 10_000; i++) m.incrementCounter('card', 1, { id: String(i) });
  const series = m.getMetricsSummary().series.filter((s) => s.name === 'card');
  assert.equal(series.length, 101);
  const overflow = series.find((s) => s.attributes['otel.metric.overflow'] === true);
  assert.equal(overflow.value, 9_900);
  assert.equal(m.getMetricsSummary().counters.card, 10_000);
  await tick();
  assert.equal(warnings.filter((w) => w.includes('cardinality limit')).length, 1);
});

// [what, call (made twice), the warning, the series left afterwards as [name, type, value]].
const BAD = [
  ['an invalid name', (m) => m.incrementCounter('1bad name'), /invalid metric name "1bad name"/, []],
  ['NaN', (m) => m.recordGauge('bad.gauge', NaN), /gauge "bad.gauge" got value NaN/, []],
  ['Infinity', (m) => m.recordHistogram('bad.hist', Infinity), /histogram "bad.hist" got value Infinity/, []],
  [
    'a negative counter increment',
    (m) => m.incrementCounter('bad.counter', -1),
    /counter "bad.counter" got value -1: a counter only goes up/,
    [],
  ],
  ['a non-number', (m) => m.incrementCounter('bad.type', '3'), /counter "bad.type" got value "3"/, []],
  [
    'one name used as two kinds',
    (m) => {
      m.incrementCounter('two.kinds');
      m.recordGauge('two.kinds', 1);
    },
    /metric "two.kinds" is a counter; it cannot also be used as a gauge/,
    // The counter keeps its two increments; the gauge calls left no trace.
    [['two.kinds', 'counter', 2]],
  ],
  ['bad buckets', (m) => m.declareHistogram('bad.buckets', { buckets: [5, 1] }), /buckets must be/, []],
];

for (const [what, call, message, left] of BAD) {
  test(`bad input (${what}): one warning, nothing recorded, no throw`, async () => {
    const m = new MetricsCollector({ isolated: true });
    warnings.length = 0;
    call(m);
    call(m);
    await tick();
    const hits = warnings.filter((w) => message.test(w));
    assert.equal(hits.length, 1, `expected exactly one warning matching ${message}, got ${JSON.stringify(warnings)}`);
    assert.deepEqual(
      m.getMetricsSummary().series.map((x) => [x.name, x.type, x.value]),
      left,
      'nothing recorded for bad input',
    );
  });
  test(`bad input (${what}) under MONITORING_STRICT=1 throws a TypeError naming the problem`, () => {
    const m = new MetricsCollector({ isolated: true });
    process.env.MONITORING_STRICT = '1';
    try {
      assert.throws(
        () => call(m),
        (e) => e instanceof TypeError && message.test(e.message),
      );
    } finally {
      delete process.env.MONITORING_STRICT;
    }
  });
}
