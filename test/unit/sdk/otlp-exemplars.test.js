// The OTLP protobuf walker (src/sdk/otlp-exemplars.ts) on requests encoded by the real
// transformer, checked by decoding the result with the OTLP .proto files (protobufjs through
// @elastic/mockotlpserver), independently of the walker itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { addToProtobuf, delimitedFields } from '../../../dist/sdk/otlp-exemplars.js';

const require = createRequire(import.meta.url);
const { getProtoRoot } = require('@elastic/mockotlpserver/lib/proto.js');
const Request = getProtoRoot().lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
const decode = (bytes) => Request.toObject(Request.decode(bytes), { longs: String, bytes: String });

class Reader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

/** A real ResourceMetrics: meter "first" (a counter), meter "second" (a gauge, then two histograms). */
async function collect() {
  const reader = new Reader();
  const provider = new MeterProvider({ readers: [reader] });
  provider.getMeter('first').createCounter('jobs').add(3);
  const second = provider.getMeter('second');
  second.createGauge('temperature').record(21.5);
  const advice = { advice: { explicitBucketBoundaries: [0.1, 1] } };
  const latency = second.createHistogram('latency', { unit: 's', ...advice });
  latency.record(0.05, { route: '/a' });
  latency.record(0.5, { route: '/b' });
  latency.record(5, { route: '/b' });
  second.createHistogram('size', { unit: 'By', ...advice }).record(0.2);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const exemplar = (value, timeMs, traceId = TRACE, spanId = SPAN) => ({ value, timeMs, traceId, spanId });
const hex = (b64) => Buffer.from(b64, 'base64').toString('hex');
const fields = (buf, start = 0, end = buf.length) => [...delimitedFields(buf, start, end)];
/** The nth field `field` of the message buf[start, end). */
const child = (buf, start, end, field, nth = 0) => fields(buf, start, end).filter((f) => f.field === field)[nth];
/** The first histogram data point of metric "latency" (scope 1, metric 1). */
function latencyPoint(bytes) {
  const rm = child(bytes, 0, bytes.length, 1);
  const sm = child(bytes, rm.valueStart, rm.valueEnd, 2, 1);
  const metric = child(bytes, sm.valueStart, sm.valueEnd, 2, 1);
  const histogram = child(bytes, metric.valueStart, metric.valueEnd, 9);
  return child(bytes, histogram.valueStart, histogram.valueEnd, 1);
}

test('walker: yields each length-delimited field with its bounds, nested messages walk the same way', async () => {
  const bytes = ProtobufMetricsSerializer.serializeRequest(await collect());
  const top = fields(bytes);
  assert.deepEqual(
    top.map((f) => f.field),
    [1],
    'one ResourceMetrics (field 1)',
  );
  assert.equal(top[0].fieldStart, 0);
  assert.equal(top[0].valueEnd, bytes.length);
  const rm = fields(bytes, top[0].valueStart, top[0].valueEnd);
  // Resource (1) and one ScopeMetrics (2) per meter.
  assert.deepEqual(rm.map((f) => f.field).filter((f) => f === 2).length, 2);
  assert.ok(rm.some((f) => f.field === 1));
  const second = rm.filter((f) => f.field === 2)[1];
  const names = fields(bytes, second.valueStart, second.valueEnd)
    .filter((f) => f.field === 2)
    .map((m) => {
      const name = fields(bytes, m.valueStart, m.valueEnd).find((f) => f.field === 1);
      return Buffer.from(bytes.subarray(name.valueStart, name.valueEnd)).toString('utf8');
    });
  assert.deepEqual(names, ['temperature', 'latency', 'size']);
});

test('walker: skips varint, fixed64 and fixed32 fields (a data point yields only its attributes and packed arrays)', async () => {
  const bytes = ProtobufMetricsSerializer.serializeRequest(await collect());
  const point = latencyPoint(bytes);
  const seen = fields(bytes, point.valueStart, point.valueEnd)
    .map((f) => f.field)
    .sort((a, b) => a - b);
  // bucket_counts (6, packed fixed64), explicit_bounds (7, packed double), attributes (9);
  // the times, count, sum, min and max are fixed-width and skipped.
  assert.deepEqual(seen, [6, 7, 9]);
});

test('walker: a truncated message or a field running past its parent throws instead of reading garbage', async () => {
  const bytes = ProtobufMetricsSerializer.serializeRequest(await collect());
  assert.throws(() => fields(bytes, 0, bytes.length - 1), /truncated protobuf field/);
  assert.throws(() => fields(bytes.subarray(0, 1)), /truncated varint/);
  // Wire type 3 (deprecated groups) is not something OTLP sends.
  assert.throws(() => fields(Uint8Array.of((1 << 3) | 3, 0)), /unexpected protobuf wire type 3/);
});

test('addToProtobuf: exemplars land on the planned points; everything else decodes as before', async () => {
  const rm = await collect();
  const bytes = ProtobufMetricsSerializer.serializeRequest(rm);
  const t = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
  const plans = [
    // scope 1 ("second"), metric 1 ("latency"), point 1 (route /b: buckets 1 and 2)
    {
      scope: 1,
      metric: 1,
      name: 'latency',
      points: new Map([[1, [exemplar(0.5, t), exemplar(5, t + 1, 'f'.repeat(32), '1'.repeat(16))]]]),
    },
    // scope 1, metric 2 ("size"), point 0
    { scope: 1, metric: 2, name: 'size', points: new Map([[0, [exemplar(0.2, t)]]]) },
  ];
  const out = addToProtobuf(bytes, plans);
  assert.notEqual(out, bytes);
  const before = decode(bytes);
  const after = decode(out);
  const metrics = after.resourceMetrics[0].scopeMetrics[1].metrics;
  const b = metrics[1].histogram.dataPoints.find((p) => p.attributes[0].value.stringValue === '/b');
  assert.deepEqual(
    b.exemplars.map((e) => ({ value: e.asDouble, time: e.timeUnixNano, trace: hex(e.traceId), span: hex(e.spanId) })),
    [
      { value: 0.5, time: String(BigInt(t) * 1_000_000n), trace: TRACE, span: SPAN },
      { value: 5, time: String(BigInt(t + 1) * 1_000_000n), trace: 'f'.repeat(32), span: '1'.repeat(16) },
    ],
  );
  assert.equal(metrics[2].histogram.dataPoints[0].exemplars.length, 1);
  // Remove what was added: the rest decodes to the same request.
  for (const m of metrics) for (const p of m.histogram?.dataPoints ?? []) delete p.exemplars;
  assert.deepEqual(after, before);
});

test('addToProtobuf: enclosing lengths are rewritten when their varint grows past one byte', async () => {
  const rm = await collect();
  const bytes = ProtobufMetricsSerializer.serializeRequest(rm);
  const first = latencyPoint(bytes);
  assert.ok(first.valueEnd - first.valueStart < 128, 'the point starts with a one-byte length');
  // Three exemplars add ~140 bytes: the point needs a two-byte length then.
  const many = [exemplar(0.01, 1), exemplar(0.2, 2), exemplar(3, 3)];
  const out = addToProtobuf(bytes, [{ scope: 1, metric: 1, name: 'latency', points: new Map([[0, many]]) }]);
  assert.ok(out.length > bytes.length + 128, `grew by ${out.length - bytes.length}`);
  const point = decode(out).resourceMetrics[0].scopeMetrics[1].metrics[1].histogram.dataPoints[0];
  assert.deepEqual(
    point.exemplars.map((e) => e.asDouble),
    [0.01, 0.2, 3],
  );
  assert.equal(point.attributes[0].value.stringValue, '/a');
});

test('addToProtobuf: a plan whose metric name does not match the encoded one attaches nothing', async () => {
  const bytes = ProtobufMetricsSerializer.serializeRequest(await collect());
  const wrongName = [{ scope: 1, metric: 1, name: 'size', points: new Map([[0, [exemplar(1, 1)]]]) }];
  assert.equal(addToProtobuf(bytes, wrongName), bytes, 'the same buffer comes back');
  const noSuchPoint = [{ scope: 1, metric: 1, name: 'latency', points: new Map([[7, [exemplar(1, 1)]]]) }];
  assert.equal(addToProtobuf(bytes, noSuchPoint), bytes);
  const notAHistogram = [{ scope: 1, metric: 0, name: 'temperature', points: new Map([[0, [exemplar(1, 1)]]]) }];
  assert.equal(addToProtobuf(bytes, notAHistogram), bytes);
});
