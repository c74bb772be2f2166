// The facade's producer collects in time slices (what an OTLP export's reader calls): the same
// data points as the collection in one piece, delta temporality included, with timers running
// in between on a large store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsCollector } from '../../../dist/index.js';
import { StoreMetricProducer } from '../../../dist/metrics/producer.js';

const DELTA = () => 0; // AggregationTemporality.DELTA
const points = (rm) =>
  rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => [m.descriptor.name, m.dataPoints.map((p) => [p.attributes.route, p.value])]));

test('collect() in slices: the same points as collectSync(), delta per reader kept, the loop given back', async () => {
  const m = new MetricsCollector({ isolated: true });
  m.declareCounter('slices.requests', { cardinalityLimit: 50_000 });
  m.declareHistogram('slices.latency', { buckets: [0.1, 1], cardinalityLimit: 20_000 });
  for (let i = 0; i < 40_000; i++) m.incrementCounter('slices.requests', i + 1, { route: `/r/${i}` });
  for (let i = 0; i < 10_000; i++) m.recordHistogram('slices.latency', i / 10_000, { route: `/h/${i}` });

  const cumulative = new StoreMetricProducer(m.store);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const sliced = (await cumulative.collect()).resourceMetrics;
  clearInterval(timer);
  assert.deepEqual(points(sliced), points(new StoreMetricProducer(m.store).collectSync().resourceMetrics));
  assert.equal(sliced.scopeMetrics[0].metrics[0].dataPoints.length, 40_000);
  assert.ok(ticks > 0, 'timers ran during the collection');

  const delta = new StoreMetricProducer(m.store, DELTA);
  await delta.collect();
  m.incrementCounter('slices.requests', 5, { route: '/r/7' });
  const second = (await delta.collect()).resourceMetrics.scopeMetrics[0].metrics[0].dataPoints;
  assert.equal(second.find((p) => p.attributes.route === '/r/7').value, 5);
  assert.equal(second.find((p) => p.attributes.route === '/r/8').value, 0);
});
