// Each aggregation (src/metrics/aggregations/) as the JSON summary, the Prometheus text, the
// status page and the cluster see it, and the one place collected data is classified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  shapeOf,
  MONOTONIC_SUM,
  NON_MONOTONIC_SUM,
  LAST_VALUE,
  EXPLICIT_BUCKET_HISTOGRAM,
  PASSED_THROUGH,
} from '../../../dist/metrics/aggregations/registry.js';
import { summarize } from '../../../dist/metrics/summary.js';

/** Encode at a worker, JSON over the socket, decode at the leader. */
function overWire(shape, value, before) {
  const bounds = [];
  const tables = { boundsId: (b) => (bounds.push(b), bounds.length - 1) };
  const row = [];
  const sent = shape.encode(value, before, row, tables);
  if (sent === undefined) return { sent, row };
  const at = { i: 0 };
  const decoded = shape.decode(JSON.parse(JSON.stringify(row)), at, JSON.parse(JSON.stringify(bounds)));
  assert.equal(at.i, row.length, 'decode reads exactly what encode wrote');
  return { sent, row, decoded };
}

const hist = (boundaries, counts, sum, min, max) => ({
  buckets: { boundaries, counts },
  count: counts.reduce((a, b) => a + b, 0),
  sum,
  min,
  max,
});
const rm = (metrics) => ({ resource: { attributes: {} }, scopeMetrics: [{ scope: { name: 's' }, metrics }] });
const point = (attributes, value) => ({ startTime: [0, 0], endTime: [1, 0], attributes, value });
const metric = (name, dataPointType, isMonotonic, points) => ({
  descriptor: { name, unit: '', description: '', valueType: 1 },
  dataPointType,
  ...(isMonotonic === undefined ? {} : { isMonotonic }),
  aggregationTemporality: 1,
  dataPoints: points,
});

test('collected data is classified by data point type and monotonicity, SDK data and facade data alike', () => {
  assert.equal(shapeOf({ dataPointType: 3, isMonotonic: true }), MONOTONIC_SUM);
  assert.equal(shapeOf({ dataPointType: 3, isMonotonic: false }), NON_MONOTONIC_SUM);
  assert.equal(shapeOf({ dataPointType: 2 }), LAST_VALUE);
  assert.equal(shapeOf({ dataPointType: 0 }), EXPLICIT_BUCKET_HISTOGRAM);
  assert.equal(shapeOf({ dataPointType: 1 }), PASSED_THROUGH, 'an exponential histogram is passed through');
  const types = [MONOTONIC_SUM, NON_MONOTONIC_SUM, LAST_VALUE, EXPLICIT_BUCKET_HISTOGRAM].map((s) => [s.seriesType, s.prometheusType]);
  assert.deepEqual(types, [
    ['counter', 'counter'],
    ['updowncounter', 'gauge'],
    ['gauge', 'gauge'],
    ['histogram', 'histogram'],
  ]);
  assert.equal(PASSED_THROUGH.seriesType, undefined);
  assert.equal(PASSED_THROUGH.prometheusType, undefined);
});

test('counter (monotonic sum): summed in the summary, a plain sample, added across workers and kept after one exits', () => {
  const s = summarize(rm([metric('c', 3, true, [point({ a: '1' }, 2), point({ a: '2' }, 3)]), metric('declared', 3, true, [])]));
  assert.deepEqual(s.counters, { c: 5, declared: 0 });
  assert.deepEqual(
    s.series.map((x) => [x.type, x.value]),
    [
      ['counter', 2],
      ['counter', 3],
    ],
  );
  assert.equal(MONOTONIC_SUM.samples('c_total', 'a="1"', 2), 'c_total{a="1"} 2\n');
  assert.equal(MONOTONIC_SUM.combine(2, 3, 'sum'), 5);
  assert.equal(MONOTONIC_SUM.keptAfterExit, true);
  assert.equal(MONOTONIC_SUM.perWorker, false);
  assert.equal(MONOTONIC_SUM.rated, true);
  assert.equal(MONOTONIC_SUM.diff(5, 7), 2);
});

test('up-down counter (non-monotonic sum): last series in the summary, negative values, added across live workers only', () => {
  const s = summarize(rm([metric('u', 3, false, [point({ q: 'a' }, 3), point({ q: 'b' }, -3)])]));
  assert.deepEqual(s.gauges, { u: -3 });
  assert.deepEqual(s.counters, {});
  assert.deepEqual(
    s.series.map((x) => [x.type, x.attributes.q, x.value]),
    [
      ['updowncounter', 'a', 3],
      ['updowncounter', 'b', -3],
    ],
  );
  assert.equal(NON_MONOTONIC_SUM.isMonotonic, false);
  assert.equal(NON_MONOTONIC_SUM.samples('u', '', -1.5), 'u{} -1.5\n');
  assert.equal(NON_MONOTONIC_SUM.combine(4, -6, 'sum'), -2);
  assert.equal(NON_MONOTONIC_SUM.keptAfterExit, false);
  assert.equal(NON_MONOTONIC_SUM.perWorker, false);
  assert.equal(NON_MONOTONIC_SUM.rated, false);
  assert.equal(NON_MONOTONIC_SUM.diff(5, 2), -3);
});

test('number points over the wire: NaN and ±Infinity survive JSON; an unchanged value is not sent again', () => {
  for (const v of [0, -2.5, 1e300, NaN, Infinity, -Infinity]) {
    const { sent, decoded } = overWire(MONOTONIC_SUM, v, undefined);
    assert.ok(Object.is(decoded, v), `${v} → ${decoded}`);
    assert.ok(Object.is(sent, v));
    assert.equal(overWire(MONOTONIC_SUM, v, sent).sent, undefined, `${v} unchanged`);
  }
  assert.deepEqual(overWire(LAST_VALUE, 4, 3).row, [4]);
});

test('gauge (last value): nothing before a value, one series per worker unless declared, min/max when declared', () => {
  assert.equal(LAST_VALUE.perWorker, true);
  assert.equal(LAST_VALUE.instant, true);
  assert.equal(LAST_VALUE.combine(2, 5, 'min'), 2);
  assert.equal(LAST_VALUE.combine(2, 5, 'max'), 5);
  assert.equal(LAST_VALUE.combine(2, 5, 'sum'), 7);
  const s = summarize(rm([metric('g', 2, undefined, [point({}, 1), point({ a: 'x' }, 9)])]));
  assert.deepEqual(s.gauges, { g: 9 });
  assert.equal(s.series[0].type, 'gauge');
});

test('histogram: summary merged over series, bucket samples with le and exemplars, status-page percentiles', () => {
  const a = hist([1, 10], [1, 2, 0], 12, 0.5, 6);
  const b = hist([1, 10], [0, 0, 1], 40, 40, 40);
  const s = summarize(rm([metric('h', 0, undefined, [point({ r: 'a' }, a), point({ r: 'b' }, b)])]));
  assert.deepEqual(s.histograms.h, { count: 4, sum: 52, min: 0.5, max: 40, avg: 13 });
  assert.deepEqual(s.series[1].value, { count: 1, sum: 40, min: 40, max: 40, avg: 40 });
  const ex = [undefined, { value: 3, timeMs: 1500, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }, undefined];
  assert.equal(
    EXPLICIT_BUCKET_HISTOGRAM.samples('h', 'r="a"', a, ex),
    'h_bucket{r="a",le="1"} 1\n' +
      `h_bucket{r="a",le="10"} 3 # {trace_id="${'a'.repeat(32)}",span_id="${'b'.repeat(16)}"} 3 1.500\n` +
      'h_bucket{r="a",le="+Inf"} 3\nh_sum{r="a"} 12\nh_count{r="a"} 3\n',
  );
  assert.match(
    EXPLICIT_BUCKET_HISTOGRAM.samples('h', '', hist([5, 50], [0, 1, 0], 9), undefined),
    /^h_bucket\{le="5"\} 0\nh_bucket\{le="50"\} 1\n/,
    'each layout its own le labels',
  );
  const d = EXPLICIT_BUCKET_HISTOGRAM.distribution(a);
  assert.equal(d.p50, 2.25, 'rank 1.5 of 3, linear within the bucket (1, 10] clamped to the max: (1, 6]');
  assert.deepEqual([d.sum, d.min, d.max], [12, 0.5, 6]);
  assert.equal(EXPLICIT_BUCKET_HISTOGRAM.scalar(a), 3);
});

test('histogram across workers: same buckets add exactly (the copy, never the input), different buckets do not combine', () => {
  const a = hist([1, 10], [1, 2, 0], 12, 0.5, 6);
  const b = hist([1, 10], [0, 0, 1], 40, 40, 40);
  const mine = EXPLICIT_BUCKET_HISTOGRAM.copy(a);
  const sum = EXPLICIT_BUCKET_HISTOGRAM.combine(mine, b, 'sum');
  assert.deepEqual(sum.buckets.counts, [1, 2, 1]);
  assert.equal(sum.count, 4);
  assert.equal(sum.sum, 52);
  assert.deepEqual([sum.min, sum.max], [0.5, 40]);
  assert.deepEqual(a.buckets.counts, [1, 2, 0], 'the input is untouched');
  assert.equal(EXPLICIT_BUCKET_HISTOGRAM.combine(EXPLICIT_BUCKET_HISTOGRAM.copy(a), hist([2, 10], [1, 1, 1], 3), 'sum'), undefined);
  assert.equal(EXPLICIT_BUCKET_HISTOGRAM.keptAfterExit, true);
  const { sent, decoded } = overWire(EXPLICIT_BUCKET_HISTOGRAM, hist([1, 10], [1, 0, 0], NaN, 0.5, 0.5));
  assert.deepEqual(decoded.buckets, { boundaries: [1, 10], counts: [1, 0, 0] });
  assert.ok(Number.isNaN(decoded.sum), 'NaN travels as a string');
  assert.equal(decoded.min, 0.5);
  assert.equal(
    overWire(EXPLICIT_BUCKET_HISTOGRAM, hist([1, 10], [1, 0, 0], NaN, 0.5, 0.5), sent).sent,
    undefined,
    'unchanged: not sent again',
  );
  const short = JSON.parse(JSON.stringify(overWire(EXPLICIT_BUCKET_HISTOGRAM, a).row)).slice(0, -1);
  assert.equal(EXPLICIT_BUCKET_HISTOGRAM.decode(short, { i: 0 }, [[1, 10]]), undefined, 'a short row is malformed');
});
