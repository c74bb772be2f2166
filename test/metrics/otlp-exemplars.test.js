// Exemplars over OTLP: facade histograms recorded inside sampled spans reach a real OTLP
// receiver (@elastic/mockotlpserver) with the spans' trace and span ids on their data points,
// over http/protobuf, http/json and gRPC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';
import { attrs, startOtlpReceiver } from '../otlp.js';

const METRIC = 'fixture.otlp_exemplar.latency';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver({ grpc: true });
});
after(async () => {
  await receiver?.close();
});

/** Ids arrive as bytes (protobuf, gRPC) or hex strings (JSON). */
const hex = (v) => (typeof v === 'string' ? v : Buffer.from(v).toString('hex'));
/** 64-bit values arrive as Long objects (protobuf, gRPC), numbers or decimal strings (JSON). */
const big = (v) => (v !== null && typeof v === 'object' ? (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0) : BigInt(v));

for (const protocol of ['http/protobuf', 'http/json', 'grpc']) {
  test(`${protocol}: histogram data points carry the exemplars of the sampled observations`, async () => {
    const service = `otlp-exemplars-${protocol.replace('/', '-')}`;
    const app = startApp('test/metrics/fixtures/otlp-exemplars.js', {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: service,
        OTEL_METRIC_EXPORT_INTERVAL: '1000', // also the export timeout: 300 ms timed out under load
        MONITORING_SYSTEM_METRICS: 'false',
        MONITORING_PORT: String(await freePort()),
      },
    });
    let out;
    let metric;
    try {
      out = await waitFor(() => app.out.stdout.includes('observations') && JSON.parse(app.out.stdout.split('\n')[0]));
      // The first export may come before the fixture recorded: wait for one with every point.
      metric = await waitFor(() =>
        receiver
          .metrics()
          .filter((m) => m.resource['service.name'] === service && m.item.name === METRIC)
          .map((m) => m.item)
          .find((m) => m.histogram.dataPoints.length === 2 && m.histogram.dataPoints.every((p) => big(p.count) > 0n)),
      );
    } finally {
      await app.stop();
    }
    assert.equal(app.out.stderr, '', 'nothing on stderr');

    const points = new Map(metric.histogram.dataPoints.map((p) => [attrs(p.attributes).route, p]));
    for (const o of out.observations) {
      const point = points.get(o.route);
      const e = (point.exemplars ?? []).find((x) => x.asDouble === o.value);
      assert.ok(e, `exemplar for ${o.route} ${o.value}: ${JSON.stringify(point.exemplars)}`);
      assert.equal(hex(e.traceId), o.traceId);
      assert.equal(hex(e.spanId), o.spanId);
      assert.equal((e.filteredAttributes ?? []).length, 0);
      // Its value lies in a bucket that counts it.
      const bounds = point.explicitBounds;
      const i = bounds.findIndex((b) => o.value <= b);
      const bucket = i === -1 ? bounds.length : i;
      assert.ok(big(point.bucketCounts[bucket]) > 0n, `bucket ${bucket} of ${o.route} counts ${o.value}`);
      assert.ok((bucket === 0 || o.value > bounds[bucket - 1]) && (bucket === bounds.length || o.value <= bounds[bucket]));
      // Timestamped on the exemplar clock (250 ms ticks), in nanoseconds.
      const ms = Number(big(e.timeUnixNano) / 1_000_000n);
      assert.ok(Math.abs(ms - out.nowMs) < 2000, `exemplar time ${ms} vs ${out.nowMs}`);
    }
    // One per observed bucket: /a has three, /b only its sampled 0.25 (3 was recorded outside a span).
    assert.equal(points.get('/a').exemplars.length, 3);
    assert.deepEqual(
      points.get('/b').exemplars.map((e) => e.asDouble),
      [0.25],
    );

    // The ids are those of spans exported over OTLP too.
    const spanIds = await waitFor(() => {
      const ids = receiver
        .spans()
        .filter((s) => s.resource['service.name'] === service)
        .map((s) => hex(s.item.spanId));
      return out.observations.every((o) => ids.includes(o.spanId)) && ids;
    });
    assert.ok(spanIds.length >= out.observations.length);
  });
}

test('delta temporality: only a point that counts the observations carries their exemplars', async () => {
  const service = 'otlp-exemplars-delta';
  const app = startApp('test/metrics/fixtures/otlp-exemplars.js', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      OTEL_SERVICE_NAME: service,
      OTEL_METRIC_EXPORT_INTERVAL: '1000', // also the export timeout: 300 ms timed out under load
      MONITORING_SYSTEM_METRICS: 'false',
      MONITORING_PORT: String(await freePort()),
    },
  });
  const points = () =>
    receiver
      .metrics()
      .filter((m) => m.resource['service.name'] === service && m.item.name === METRIC)
      .flatMap((m) => m.item.histogram.dataPoints.filter((p) => attrs(p.attributes).route === '/a'));
  try {
    // The interval that counted /a's three observations, then two empty intervals after it.
    await waitFor(() => {
      const all = points();
      const i = all.findIndex((p) => big(p.count) > 0n);
      return i !== -1 && all.length >= i + 3;
    });
  } finally {
    await app.stop();
  }
  const all = points();
  const counted = all.filter((p) => big(p.count) > 0n);
  assert.equal(counted.length, 1, 'delta: the observations are counted once');
  assert.deepEqual(counted[0].exemplars.map((e) => e.asDouble).sort(), [0.05, 0.5, 5]);
  for (const p of all.filter((p) => big(p.count) === 0n)) assert.equal((p.exemplars ?? []).length, 0);
});
