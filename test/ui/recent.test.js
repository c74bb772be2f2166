// The status page's in-memory stores with the real OTel SDK: bounds, which traces are kept,
// zPages latency buckets, histogram quantiles, metric history; and MONITORING_UI=false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { SpanStore } from '../../dist/recent/spans.js';
import { MetricHistory, metricRows, quantile, seriesKey } from '../../dist/recent/history.js';
import { freePort, startApp, waitForHttp } from '../helpers.js';

function tracerFor(store) {
  const processor = {
    onStart: (s, ctx) => store.start(s, ctx),
    onEnd: (s) => store.add(s),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('t');
}

const T0 = 1_700_000_000_000;
/** A span of exactly `ms` that starts at T0 + at, optionally under a parent. */
function span(tracer, name, at, ms, parent, error = false) {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  const s = tracer.startSpan(name, { startTime: T0 + at }, ctx);
  if (error) s.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  return { s, end: () => s.end(T0 + at + ms) };
}

test('the store stays within its span budget and keeps whole traces', () => {
  const store = new SpanStore(50, 1000);
  const tracer = tracerFor(store);
  for (let i = 0; i < 300; i++) {
    const root = span(tracer, 'root', i * 10, 5);
    const kid = span(tracer, 'child', i * 10 + 1, 2, root.s);
    kid.end();
    root.end();
  }
  assert.ok(store.length <= 50, `kept ${store.length}`);
  const list = store.traceSummaries();
  assert.ok(list.length >= 20);
  for (const t of list.filter((x) => !x.partial)) {
    assert.equal(t.spanCount, 2);
    assert.equal(t.rootName, 'root');
    assert.equal(t.complete, true);
    const spans = store.trace(t.traceId).spans;
    assert.equal(spans[1].parentSpanId, spans[0].spanId);
  }
});

test('traces beyond the per-second budget are only counted, but an error span is kept as an example', () => {
  const store = new SpanStore(1000, 1); // burst of 5 traces, then 1 per second
  const tracer = tracerFor(store);
  for (let i = 0; i < 100; i++) {
    const root = span(tracer, 'fast', i, 0.5);
    root.end();
  }
  const fastKept = store.traceSummaries().length;
  assert.ok(fastKept <= 6 + 1, `kept ${fastKept} of 100 fast traces`);
  const root = span(tracer, 'GET /pay', 200, 50);
  const before = span(tracer, 'validate', 201, 1, root.s);
  before.end();
  const bad = span(tracer, 'charge', 203, 5, root.s, true);
  bad.end();
  root.end();
  const rows = store.latencyTable();
  const fast = rows.find((r) => r.name === 'fast');
  assert.equal(
    fast.counts.reduce((a, b) => a + b, 0),
    100,
    'every span is counted',
  );
  const charge = rows.find((r) => r.name === 'charge');
  assert.equal(charge.errors, 1);
  const t = store.trace(charge.errorSamples[0]);
  assert.ok(t, 'the error trace is kept');
  const names = t.spans.map((s) => s.name);
  assert.ok(names.includes('charge'), names.join());
  const sum = store.traceSummaries().find((x) => x.traceId === charge.errorSamples[0]);
  assert.equal(sum.partial, true);
  assert.equal(sum.status, 'error');
});

test('zPages latency buckets: one span per bucket lands in its own bucket', () => {
  const store = new SpanStore(1000, 1000);
  const tracer = tracerFor(store);
  const durations = [0.005, 0.05, 0.5, 5, 50, 500, 5000, 50000, 500000];
  durations.forEach((ms, i) => span(tracer, 'op', i * 1000, ms).end());
  const row = store.latencyTable().find((r) => r.name === 'op');
  assert.deepEqual(row.counts, [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.ok(
    row.samples.every((s) => s.length === 1),
    'each bucket links to an example trace',
  );
});

test('a pinned example outlives the stream of ordinary traces', () => {
  const store = new SpanStore(40, 100000);
  const tracer = tracerFor(store);
  const slow = span(tracer, 'report', 0, 4000);
  slow.end();
  const slowId = slow.s.spanContext().traceId;
  for (let i = 0; i < 500; i++) span(tracer, 'report', 10 + i, 1).end();
  assert.ok(store.length <= 40);
  assert.ok(store.trace(slowId), 'the slow example trace is still kept');
});

test('quantiles from histogram buckets', () => {
  // 100 values: 50 in (0,10], 40 in (10,20], 10 in (20,50]
  const b = [10, 20, 50];
  const c = [50, 40, 10, 0];
  assert.equal(quantile(0.5, b, c, 1, 45), 10);
  assert.equal(quantile(0.7, b, c, 1, 45), 15);
  assert.ok(Math.abs(quantile(0.95, b, c, 1, 45) - 32.5) < 1e-9);
  assert.equal(quantile(0.99, b, c, 1, 45), 42.5); // clamped to max 45 within (20,50]
  assert.equal(quantile(0.5, b, [0, 0, 0, 0]), null);
});

class PullReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

test('metric history: bounded points and series, rates for counters, percentiles for histograms', async () => {
  const reader = new PullReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('m');
  const c = meter.createCounter('jobs');
  const h = meter.createHistogram('lat', { advice: { explicitBucketBoundaries: [10, 20, 50] } });
  const history = new MetricHistory(5, 3);
  for (let i = 0; i < 8; i++) {
    c.add(10, { q: 'a' });
    h.record(15);
    if (i === 0) for (const q of ['b', 'c', 'd', 'e']) c.add(1, { q });
    history.sample((await reader.collect()).resourceMetrics, T0 + i * 1000);
  }
  assert.equal(history.times().length, 5, 'keeps only the last 5 samples');
  assert.equal(history.seriesCount, 3, 'series cap');
  assert.ok(history.droppedSeries > 0);
  const rows = metricRows((await reader.collect()).resourceMetrics, history);
  const jobs = rows.find((r) => r.name === 'jobs' && r.attributes.q === 'a');
  assert.equal(jobs.type, 'counter');
  assert.equal(jobs.value, 80);
  assert.equal(jobs.rate, 10);
  assert.deepEqual(jobs.history, [null, 10, 10, 10, 10]);
  assert.equal(history.raw(seriesKey('jobs', { q: 'a' })).length, 5);
  const lat = rows.find((r) => r.name === 'lat');
  assert.equal(lat.value, 8);
  assert.equal(lat.p50, 15);
});

test('MONITORING_UI=false: no page, no page routes, no buffers', async () => {
  const port = await freePort();
  const appPort = await freePort();
  const app = startApp('test/fixtures/plain-server.mjs', {
    env: {
      MONITORING_UI: 'false',
      MONITORING_PORT: String(port),
      APP_PORT: String(appPort),
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health/live`);
    await (await waitForHttp(`http://127.0.0.1:${appPort}/`)).text();
    const r = await fetch(`${base}/`, { headers: { Accept: 'text/html' } });
    assert.match(r.headers.get('content-type'), /application\/json/);
    const paths = (await r.json()).routes.map((x) => x.path);
    assert.ok(!paths.some((p) => p.startsWith('/api/') || p.startsWith('/ui/')), paths.join(','));
    assert.equal((await fetch(`${base}/ui/app.js`)).status, 404);
    const status = await (await fetch(`${base}/status`)).json();
    assert.deepEqual(status.spans, [], 'the span store records nothing');
  } finally {
    await app.stop();
  }
});

test('the sparkline sampler runs while a monitoring server does: stop() leaves no timer, start() again resumes it', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    import { HealthEndpoints } from '@socketcomm/monitoring';
    // The sampler's timer is unref'd (invisible to getActiveResourcesInfo): read it off the shared state.
    const timers = () => {
      const t = globalThis[Symbol.for('@socketcomm/monitoring/state@1')]?.ui.sampler?.timer;
      return t && !t._destroyed ? 1 : 0;
    };
    const before = timers();
    const a = new HealthEndpoints({ host: '127.0.0.1', port: 0 });
    const b = new HealthEndpoints({ host: '127.0.0.1', port: 0 });
    await a.start(); await b.start();
    const running = timers();
    await a.stop();
    const oneLeft = timers();
    await b.stop();
    const none = timers();
    await a.start();
    const again = timers();
    await a.stop();
    console.log(JSON.stringify({ before, running, oneLeft, none, again, after: timers() }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 }));
  assert.ok(out.running > out.before, `the sampler's timer runs with the servers: ${JSON.stringify(out)}`);
  assert.equal(out.oneLeft, out.running, `one server still uses it: ${JSON.stringify(out)}`);
  assert.equal(out.none, out.before, `no server, no sampler timer: ${JSON.stringify(out)}`);
  assert.equal(out.again, out.running, `a restarted server samples again: ${JSON.stringify(out)}`);
  assert.equal(out.after, out.before, `stopped again: ${JSON.stringify(out)}`);
});
