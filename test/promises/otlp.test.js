// docs/configuration.md, the OTLP variables read by the exporters register builds: per-signal
// endpoints and protocols for traces and logs, OTEL_EXPORTER_OTLP_HEADERS / _COMPRESSION /
// _TIMEOUT, the console exporters and OTEL_TRACES_SAMPLER. Against @elastic/mockotlpserver, with a
// recording front (test/promises/otlp-front.js) where the wire format matters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { startApp, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { startBlackhole, startOtlpFront } from './otlp-front.js';

let receiver;
let front;
const grpcRequests = [];
const onRequest = (r) => r.transport === 'grpc' && grpcRequests.push(r);

before(async () => {
  receiver = await startOtlpReceiver({ grpc: true });
  front = await startOtlpFront(receiver.url);
  // The receiver publishes every request (HTTP headers, gRPC metadata) on this channel.
  diagnostics.subscribe('otlp.v1.request', onRequest);
});
after(async () => {
  diagnostics.unsubscribe('otlp.v1.request', onRequest);
  await front?.close();
  await receiver?.close();
});

const NONE = {
  OTEL_TRACES_EXPORTER: '',
  OTEL_METRICS_EXPORTER: '',
  OTEL_LOGS_EXPORTER: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  MONITORING_PORT: '0',
  MONITORING_HOST: '127.0.0.1',
};

/** Start the fixture, wait for READY, SIGTERM it (the shutdown flushes) and wait for its exit. */
async function runToShutdown(env) {
  const app = startApp('test/promises/fixtures/otlp-app.mjs', { env: { ...NONE, ...env } });
  try {
    await waitFor(() => app.out.stdout.includes('READY'), 15000);
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    assert.equal(code, 143, app.out.stderr);
    return app;
  } finally {
    await app.stop('SIGKILL');
  }
}

test('per-signal endpoints and protocols (traces http/json, logs grpc), headers, gzip, and a traceidratio sampler', async () => {
  const service = 'otlp-per-signal';
  const app = await runToShutdown({
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${front.url}/v1/traces`,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcUrl,
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-team=payments,authorization=Bearer%20otlp-s3cret',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    OTEL_TRACES_SAMPLER: 'traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.25',
    SPANS: '400',
    SPAN_NAME: 'sampled-op',
  });
  const mine = (x) => x.resource['service.name'] === service;

  // Traces: to the per-signal URL as given, JSON, gzip-compressed, with the configured headers.
  const sent = front.requests.filter((r) => r.path === '/v1/traces');
  assert.ok(sent.length > 0, 'traces reached the traces endpoint');
  for (const r of sent) {
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.deepEqual([...r.raw.subarray(0, 2)], [0x1f, 0x8b], 'a gzip body');
    assert.equal(r.headers['x-team'], 'payments');
    assert.equal(r.headers.authorization, 'Bearer otlp-s3cret');
  }
  assert.ok(!front.requests.some((r) => r.path !== '/v1/traces'), 'only traces went to the traces endpoint');
  // The sampler: about a quarter of 400 root spans (binomial, sd ~8.7; ±40 is 4.6 sd).
  const spans = receiver.spans().filter((s) => mine(s) && s.item.name === 'sampled-op');
  assert.ok(spans.length >= 60 && spans.length <= 140, `${spans.length} of 400 spans sampled at 0.25`);

  // Logs: over gRPC to the other endpoint, with the same headers as metadata.
  const logs = receiver.logRecords().filter((l) => mine(l) && l.item.body?.stringValue === 'promise log line');
  assert.equal(logs.length, 1, 'the log record arrived once');
  const grpc = grpcRequests.find((r) => r.metadata?.get('x-team')?.[0] === 'payments');
  assert.ok(grpc, 'gRPC metadata carries OTEL_EXPORTER_OTLP_HEADERS');
  assert.deepEqual(grpc.metadata.get('authorization'), ['Bearer otlp-s3cret']);

  // Metrics: no endpoint for them, so nothing is pushed.
  assert.ok(!receiver.metrics().some(mine), 'no metrics without an endpoint for them');
  assert.ok(!app.out.stderr.includes('otlp-s3cret') && !app.out.stdout.includes('otlp-s3cret'), 'the header value is never printed');
});

test('OTEL_EXPORTER_OTLP_TIMEOUT: an export to a collector that never answers is abandoned after that many ms', async () => {
  const hole = await startBlackhole();
  try {
    const app = startApp('test/promises/fixtures/otlp-app.mjs', {
      env: {
        ...NONE,
        OTEL_EXPORTER_OTLP_ENDPOINT: hole.url,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_LOG_LEVEL: 'none',
      },
    });
    try {
      const first = await waitFor(() => hole.connections[0]?.closedAt !== undefined && hole.connections[0], 15000, 20);
      const waited = first.closedAt - first.openedAt;
      // The default is 10000 ms.
      assert.ok(waited >= 450 && waited < 3000, `the exporter gave up after ${waited.toFixed(0)} ms`);
    } finally {
      await app.stop('SIGKILL');
    }
  } finally {
    await hole.close();
  }
});

test('the console exporters print spans, log records and metrics on stdout', async () => {
  const app = await runToShutdown({
    OTEL_TRACES_EXPORTER: 'console',
    OTEL_LOGS_EXPORTER: 'console',
    OTEL_METRICS_EXPORTER: 'console',
    OTEL_METRIC_EXPORT_INTERVAL: '60000', // what is printed comes from the flush at shutdown
    SPAN_NAME: 'console-op',
  });
  const out = app.out.stdout;
  // ConsoleSpanExporter / ConsoleLogRecordExporter / ConsoleMetricExporter print util.inspect output.
  assert.match(out, /name: 'console-op'/);
  assert.match(out, /traceId: '[0-9a-f]{32}'/);
  assert.match(out, /body: 'promise log line'/);
  assert.match(out, /name: 'promise\.counter'/);
  assert.match(out, /value: 3\b/);
  assert.equal(app.out.stderr, '');
});
