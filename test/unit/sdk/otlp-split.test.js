// Large OTLP metric exports split into requests (src/sdk/otlp-split.ts): every data point in
// exactly one request, in order, under its own metric and scope; the requests are handed to
// the exporter one at a time with the loop given back in between; a failure ends the export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { SplittingMetricExporter, splitResourceMetrics, DEFAULT_REQUEST_WEIGHT } from '../../../dist/sdk/otlp-split.js';

const resource = { attributes: { 'service.name': 'split' } };
const T = [1, 0];
const sum = (name, n) => ({
  descriptor: { name, description: '', unit: '', valueType: 1 },
  dataPointType: 3,
  isMonotonic: true,
  aggregationTemporality: 1,
  dataPoints: Array.from({ length: n }, (_, i) => ({ startTime: T, endTime: T, attributes: { i }, value: i })),
});
const histogram = (name, n, buckets) => ({
  descriptor: { name, description: '', unit: 's', valueType: 1 },
  dataPointType: 0,
  aggregationTemporality: 1,
  dataPoints: Array.from({ length: n }, (_, i) => ({
    startTime: T,
    endTime: T,
    attributes: { i },
    value: { count: 1, sum: i, buckets: { boundaries: buckets.slice(1), counts: buckets } },
  })),
});
const rm = (scopes) => ({ resource, scopeMetrics: scopes.map(([name, metrics]) => ({ scope: { name }, metrics })) });
/** Every point of `requests` as `scope/metric/i`, in order. */
const flat = (requests) =>
  requests.flatMap((r) =>
    r.scopeMetrics.flatMap((sm) =>
      sm.metrics.flatMap((m) => m.dataPoints.map((p) => `${sm.scope.name}/${m.descriptor.name}/${p.attributes.i}`)),
    ),
  );
const weight = (r) =>
  r.scopeMetrics.reduce(
    (a, sm) =>
      a +
      sm.metrics.reduce(
        (b, m) => b + m.dataPoints.reduce((c, p) => c + (p.value.buckets ? 1 + (p.value.buckets.counts.length >> 2) : 1), 0),
        0,
      ),
    0,
  );

test('split: every point once, in order, each request within its weight, metrics and scopes kept', () => {
  const input = rm([
    ['a', [sum('c1', 25), histogram('h1', 10, [0, 0, 0, 0, 0, 0, 0, 0])]],
    ['b', [sum('empty', 0), sum('c2', 7)]],
  ]);
  const requests = splitResourceMetrics(input, 10);
  assert.deepEqual(flat(requests), flat([input]));
  for (const r of requests) {
    assert.equal(r.resource, resource);
    assert.ok(weight(r) <= 10, `request weight ${weight(r)}`);
    for (const sm of r.scopeMetrics) for (const m of sm.metrics) assert.ok(m.dataPoints.length > 0 || m.descriptor.name === 'empty');
  }
  // A histogram point weighs 1 + 8/4 = 3: three per request of 10.
  const h = requests.flatMap((r) => r.scopeMetrics.flatMap((sm) => sm.metrics.filter((m) => m.descriptor.name === 'h1')));
  assert.ok(h.every((m) => m.dataPoints.length <= 3 && m.isMonotonic === undefined && m.descriptor.unit === 's'));
  const c1 = requests.flatMap((r) => r.scopeMetrics.flatMap((sm) => sm.metrics.filter((m) => m.descriptor.name === 'c1')));
  assert.ok(c1.length >= 3 && c1.every((m) => m.isMonotonic === true && m.aggregationTemporality === 1));
  assert.equal(requests.filter((r) => r.scopeMetrics.some((sm) => sm.metrics.some((m) => m.descriptor.name === 'empty'))).length, 1);
});

test('split: a small export stays one request, the same object; a point heavier than the weight still travels', () => {
  const small = rm([['a', [sum('c', 3)]]]);
  assert.deepEqual(splitResourceMetrics(small, DEFAULT_REQUEST_WEIGHT), [small]);
  assert.equal(splitResourceMetrics(small, DEFAULT_REQUEST_WEIGHT)[0].scopeMetrics[0].metrics[0], small.scopeMetrics[0].metrics[0]);
  const heavy = rm([['a', [histogram('h', 2, new Array(40).fill(0))]]]);
  assert.deepEqual(flat(splitResourceMetrics(heavy, 5)), ['a/h/0', 'a/h/1']);
  const none = rm([]);
  assert.deepEqual(splitResourceMetrics(none, 5), [none]);
});

/** An exporter that records what it is handed and answers with `results` in turn. */
function recording(results = []) {
  const calls = [];
  return {
    calls,
    export(metrics, done) {
      calls.push({ metrics, at: performance.now() });
      setImmediate(() => done(results.shift() ?? { code: ExportResultCode.SUCCESS }));
    },
    forceFlush: async () => {},
    shutdown: async () => {},
    selectAggregationTemporality: () => AggregationTemporality.DELTA,
  };
}
const exportWith = (exporter, metrics) => new Promise((resolve) => exporter.export(metrics, resolve));

test('exporter: requests go one after the other, the loop runs between them; the temporality is the inner exporter’s', async () => {
  const inner = recording();
  const exporter = new SplittingMetricExporter(inner, 10);
  assert.equal(exporter.selectAggregationTemporality(0), AggregationTemporality.DELTA);
  assert.equal(exporter.selectAggregation, undefined, 'not offered when the inner exporter has none (the reader keeps its default)');
  const input = rm([['a', [sum('c', 35)]]]);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const result = await exportWith(exporter, input);
  clearInterval(timer);
  assert.equal(result.code, ExportResultCode.SUCCESS);
  assert.equal(inner.calls.length, 4);
  assert.deepEqual(flat(inner.calls.map((c) => c.metrics)), flat([input]));
  assert.ok(ticks > 0, 'timers ran during the export');
});

test('exporter: the first failed request ends the export with its error; nothing after it is sent', async () => {
  const error = new Error('collector down');
  const inner = recording([{ code: ExportResultCode.SUCCESS }, { code: ExportResultCode.FAILED, error }]);
  const result = await exportWith(new SplittingMetricExporter(inner, 10), rm([['a', [sum('c', 50)]]]));
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.equal(result.error, error);
  assert.equal(inner.calls.length, 2);
});
