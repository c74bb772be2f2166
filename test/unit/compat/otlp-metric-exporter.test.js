// Contract of src/compat/otlp-metric-exporter.ts with the pinned OTLP packages: the exporter
// it builds from their exports sends what the upstream OTLPMetricExporter of each transport
// sends (request path, headers, the same bytes), through the serializer we give it, and
// chooses temporality the same way. A failure here means the pinned packages changed shape:
// compare their exporter constructors with the compat module before upgrading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { AggregationTemporality, MeterProvider, MetricReader, InstrumentType } from '@opentelemetry/sdk-metrics';
import { otlpMetricExporter } from '../../../dist/compat/otlp-metric-exporter.js';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');

class Reader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

async function sample() {
  const reader = new Reader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('contract');
  meter.createCounter('jobs').add(3, { queue: 'a' });
  meter.createHistogram('latency', { advice: { explicitBucketBoundaries: [0.1, 1] } }).record(0.5);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

/** Every request a receiver got: path, content type, user agent, body. */
const received = [];
const endpoints = {};
let httpServer;
let grpcServer;
before(async () => {
  httpServer = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url,
        contentType: req.headers['content-type'],
        userAgent: req.headers['user-agent'],
        body: Buffer.concat(chunks),
      });
      const json = req.headers['content-type'] === 'application/json';
      res.writeHead(200, { 'content-type': req.headers['content-type'] });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise((r) => httpServer.listen(0, '127.0.0.1', r));
  grpcServer = new grpc.Server();
  const raw = { requestSerialize: (b) => b, requestDeserialize: (b) => b, responseSerialize: (b) => b, responseDeserialize: (b) => b };
  const path = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
  grpcServer.addService(
    { Export: { path, requestStream: false, responseStream: false, ...raw } },
    {
      Export: (call, cb) => {
        received.push({ path, contentType: 'grpc', body: Buffer.from(call.request) });
        cb(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  endpoints.http = `http://127.0.0.1:${httpServer.address().port}`;
  endpoints.grpc = `http://127.0.0.1:${port}`;
});
after(async () => {
  httpServer?.close();
  grpcServer?.forceShutdown();
});

function exportOnce(exporter, rm) {
  return new Promise((resolve) => exporter.export(rm, resolve));
}

const UPSTREAM = {
  proto: '@opentelemetry/exporter-metrics-otlp-proto',
  http: '@opentelemetry/exporter-metrics-otlp-http',
  grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
};

for (const variant of ['proto', 'http', 'grpc']) {
  test(`${variant}: the same request as the upstream exporter, through our serializer`, async () => {
    // The generic endpoint: each exporter appends its own signal path to it.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = variant === 'grpc' ? endpoints.grpc : endpoints.http;
    const rm = await sample();
    const { OTLPMetricExporter } = require(UPSTREAM[variant]);
    const upstream = new OTLPMetricExporter();
    let wrapped = 0;
    const ours = await otlpMetricExporter(variant, (inner) => ({
      serializeRequest: (r) => {
        wrapped++;
        return inner.serializeRequest(r);
      },
      deserializeResponse: (d) => inner.deserializeResponse(d),
    }));
    received.length = 0;
    const a = await exportOnce(upstream, rm);
    const b = await exportOnce(ours, rm);
    await Promise.all([upstream.shutdown(), ours.shutdown()]);
    assert.equal(a.code, 0, `upstream export: ${a.error?.message}`);
    assert.equal(b.code, 0, `our export: ${b.error?.message}`);
    assert.equal(wrapped, 1, 'our serializer made the request');
    assert.equal(received.length, 2);
    const [u, o] = received;
    assert.equal(u.path, variant === 'grpc' ? '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export' : '/v1/metrics');
    assert.equal(o.path, u.path);
    assert.equal(o.contentType, u.contentType);
    assert.equal(o.userAgent, u.userAgent);
    assert.ok(u.body.length > 0);
    assert.ok(o.body.equals(u.body), 'same bytes');
  });
}

test('temporality follows OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE as upstream', async () => {
  process.env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE = 'delta';
  try {
    const { OTLPMetricExporter } = require(UPSTREAM.proto);
    const upstream = new OTLPMetricExporter();
    const ours = await otlpMetricExporter('proto', (s) => s);
    for (const t of Object.values(InstrumentType)) {
      assert.equal(ours.selectAggregationTemporality(t), upstream.selectAggregationTemporality(t), t);
    }
    assert.equal(ours.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.DELTA);
    await Promise.all([upstream.shutdown(), ours.shutdown()]);
  } finally {
    delete process.env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE;
  }
});

test("the self-observability component types are the exporter packages' own", async () => {
  const { readFileSync } = await import('node:fs');
  const src = readFileSync(new URL('../../../src/compat/otlp-metric-exporter.ts', import.meta.url), 'utf8');
  for (const [pkg, name] of [
    [UPSTREAM.proto, 'OTEL_COMPONENT_TYPE_VALUE_OTLP_HTTP_METRIC_EXPORTER'],
    [UPSTREAM.grpc, 'OTEL_COMPONENT_TYPE_VALUE_OTLP_GRPC_METRIC_EXPORTER'],
  ]) {
    const value = require(`${pkg}/build/src/semconv.js`)[name];
    assert.equal(typeof value, 'string', `${pkg} still defines ${name}`);
    assert.ok(src.includes(`'${value}'`), `src/compat/otlp-metric-exporter.ts uses ${value}`);
  }
});
