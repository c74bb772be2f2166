// The store's MetricProducer (src/metrics/producer.ts): cumulative points for one reader, delta
// points for another over the same series, each reader with its own memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesStore } from '../../../dist/metrics/store.js';
import { StoreMetricProducer } from '../../../dist/metrics/producer.js';
import { COUNTER, UP_DOWN_COUNTER, GAUGE, HISTOGRAM } from '../../../dist/metrics/kinds/registry.js';

const DELTA = 0;
const CUMULATIVE = 1;
const metricsOf = (producer) => producer.collectSync().resourceMetrics.scopeMetrics[0].metrics;
const byName = (producer) => Object.fromEntries(metricsOf(producer).map((m) => [m.descriptor.name, m]));
const values = (m) => m.dataPoints.map((p) => p.value);
const ms = (hr) => hr[0] * 1000 + hr[1] / 1e6;
const record = (inst, value, attrs) => inst.aggregation.record(inst, inst.series(attrs), value);

test('two readers over one store: the delta reader gets differences, the cumulative one totals, neither disturbs the other', async () => {
  const store = new SeriesStore();
  const c = store.add('c', COUNTER);
  const u = store.add('u', UP_DOWN_COUNTER);
  const cumulative = new StoreMetricProducer(store);
  const delta = new StoreMetricProducer(store, () => DELTA);
  record(c, 5);
  record(u, 5);
  assert.deepEqual(values(byName(delta).c), [5]);
  const first = byName(delta).u;
  record(c, 2);
  record(u, -7);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = byName(delta);
  assert.deepEqual(values(second.c), [2]);
  assert.deepEqual(values(second.u), [-7]);
  assert.equal(second.u.aggregationTemporality, DELTA);
  assert.ok(ms(second.u.dataPoints[0].startTime) >= ms(first.dataPoints[0].endTime), 'a delta starts at the previous collection');
  assert.deepEqual(values(byName(delta).c), [0], 'nothing new: a zero delta');
  const totals = byName(cumulative);
  assert.deepEqual(values(totals.c), [7]);
  assert.deepEqual(values(totals.u), [-2]);
  assert.equal(totals.u.aggregationTemporality, CUMULATIVE);
});

test("the temporality selector is asked with each kind's OTel instrument type", () => {
  const store = new SeriesStore();
  store.add('c', COUNTER);
  store.add('u', UP_DOWN_COUNTER);
  store.add('h', HISTOGRAM);
  const asked = [];
  // OTel's "delta" preference: delta for counters and histograms, cumulative for up-down counters.
  const preference = (type) => (asked.push(type), type === 'UP_DOWN_COUNTER' ? CUMULATIVE : DELTA);
  const m = byName(new StoreMetricProducer(store, preference));
  assert.deepEqual(asked, ['COUNTER', 'UP_DOWN_COUNTER', 'HISTOGRAM']);
  assert.equal(m.u.aggregationTemporality, CUMULATIVE);
  assert.equal(m.c.aggregationTemporality, DELTA);
});

test('histogram deltas subtract counts, count and sum per bucket; a gauge is its value at the instant, not a difference', () => {
  const store = new SeriesStore();
  const h = store.add('h', HISTOGRAM, { buckets: [1, 10] });
  const g = store.add('g', GAUGE);
  const delta = new StoreMetricProducer(store, () => DELTA);
  for (const v of [0.5, 5, 50]) record(h, v, { r: 'x' });
  record(g, 3);
  assert.deepEqual(values(byName(delta).h)[0].buckets.counts, [1, 1, 1]);
  record(h, 7, { r: 'x' });
  record(h, 8, { r: 'x' });
  record(g, 4);
  const m = byName(delta);
  const v = values(m.h)[0];
  assert.deepEqual(v.buckets.counts, [0, 2, 0]);
  assert.equal(v.count, 2);
  assert.equal(v.sum, 15);
  assert.deepEqual(values(m.g), [4]);
  assert.deepEqual(m.g.dataPoints[0].startTime, m.g.dataPoints[0].endTime);
});

test('a gauge never set is not exported; a counter declared without series is, with no points', () => {
  const store = new SeriesStore();
  store.add('g', GAUGE).series({ a: '1' });
  store.add('c', COUNTER);
  const m = byName(new StoreMetricProducer(store));
  assert.equal(m.g, undefined);
  assert.deepEqual(m.c.dataPoints, []);
  assert.equal(m.c.isMonotonic, true);
});
