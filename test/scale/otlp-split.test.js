// A large OTLP metrics export (25,000 counter and 3,000 histogram series, http/protobuf) from an
// app under register goes to a real receiver (@elastic/mockotlpserver) as several requests: every
// series arrives exactly once with its value, and the exemplar of the histogram series recorded
// in a sampled span arrives on that series (test/scale/fixtures/otlp-split.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';
import { attrs, startOtlpReceiver } from '../otlp.js';

const COUNTERS = 25_000;
const HISTOGRAMS = 3_000;

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(async () => {
  await receiver?.close();
});

const big = (v) => (v !== null && typeof v === 'object' ? (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0) : BigInt(v));
const hex = (v) => (typeof v === 'string' ? v : Buffer.from(v).toString('hex'));

test(
  'OTLP http/protobuf: 28,000 series go as several requests, each series exactly once, exact, with its exemplar',
  { timeout: 60_000 },
  async () => {
    const service = 'otlp-split-test';
    const app = startApp('test/scale/fixtures/otlp-split.js', {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
        OTEL_SERVICE_NAME: service,
        OTEL_METRIC_EXPORT_INTERVAL: '3600000',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        MONITORING_SYSTEM_METRICS: 'false',
        MONITORING_PORT: String(await freePort()),
        COUNTERS: String(COUNTERS),
        HISTOGRAMS: String(HISTOGRAMS),
      },
    });
    let out;
    let requests;
    try {
      out = await waitFor(() => app.out.stdout.includes('flushed') && JSON.parse(app.out.stdout.split('\n')[0]), 45_000);
      // forceFlush() resolved after every request was answered: this is that one export.
      requests = receiver.received.metrics.filter((r) =>
        r.resourceMetrics?.some((rm) => attrs(rm.resource?.attributes)['service.name'] === service),
      );
    } finally {
      await app.stop('SIGKILL');
    }
    assert.ok(requests.length >= 3, `${requests.length} requests`);
    console.log(`# FIGURE OTLP export of ${COUNTERS + HISTOGRAMS} series: ${requests.length} requests`);

    const counters = new Map();
    const histograms = new Map();
    for (const req of requests) {
      for (const rm of req.resourceMetrics)
        for (const sm of rm.scopeMetrics ?? [])
          for (const m of sm.metrics ?? []) {
            if (m.name === 'split.test.requests') {
              for (const p of m.sum.dataPoints) {
                const route = attrs(p.attributes).route;
                assert.ok(!counters.has(route), `counter ${route} twice`);
                counters.set(route, p.asDouble);
              }
            } else if (m.name === 'split.test.latency') {
              for (const p of m.histogram.dataPoints) {
                const route = attrs(p.attributes).route;
                assert.ok(!histograms.has(route), `histogram ${route} twice`);
                histograms.set(route, p);
              }
            }
          }
    }
    assert.equal(counters.size, COUNTERS);
    for (let i = 0; i < COUNTERS; i++) assert.equal(counters.get(`/r/${i}`), i + 1, `/r/${i}`);
    assert.equal(histograms.size, HISTOGRAMS);
    for (let i = 0; i < HISTOGRAMS; i++) {
      const p = histograms.get(`/h/${i}`);
      const lastOne = i === HISTOGRAMS - 1;
      assert.equal(big(p.count), lastOne ? 2n : 1n, `/h/${i}`);
      assert.equal(p.sum, (i % 20) / 2 + (lastOne ? 0.5 : 0), `/h/${i}`);
    }
    const last = histograms.get(`/h/${HISTOGRAMS - 1}`);
    const e = (last.exemplars ?? []).find((x) => x.asDouble === out.exemplar.value);
    assert.ok(e, `the exemplar on the last histogram series: ${JSON.stringify(last.exemplars)}`);
    assert.equal(hex(e.traceId), out.exemplar.traceId);
    assert.equal(hex(e.spanId), out.exemplar.spanId);
    const withLast = requests.findIndex((r) =>
      r.resourceMetrics.some((rm) =>
        rm.scopeMetrics?.some((sm) =>
          sm.metrics?.some(
            (m) =>
              m.name === 'split.test.latency' && m.histogram.dataPoints.some((p) => attrs(p.attributes).route === `/h/${HISTOGRAMS - 1}`),
          ),
        ),
      ),
    );
    assert.ok(withLast > 0, 'the exemplar travelled in a later request than the first');
    assert.equal(app.out.stderr, '', 'nothing on stderr');
  },
);
