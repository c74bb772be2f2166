// Metric views from an OTEL_CONFIG_FILE applied end to end under register: the OTel SDK's instruments
// (http.server.request.duration from instrumentation-http, runtime metrics) and the facade's
// alike, on /metrics as JSON, Prometheus text (checked by promtool) and OpenMetrics, and in an
// OTLP push to a real receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { waitFor } from '../helpers.js';
import { attrs, startOtlpReceiver } from '../otlp.js';
import { les, samples, startWithViews } from './views-helpers.js';

const VIEWS = [
  {
    selector: { instrument_name: 'http.server.request.duration' },
    stream: {
      aggregation: { explicit_bucket_histogram: { boundaries: [0.001, 0.5, 5] } },
      attribute_keys: { included: ['http.*'], excluded: ['http.response.*'] },
    },
  },
  {
    selector: { instrument_name: 'app.job.duration' },
    stream: { aggregation: { explicit_bucket_histogram: { boundaries: [0.1, 0.2] } }, attribute_keys: { excluded: ['user.*'] } },
  },
  { selector: { instrument_name: 'app.legacy.count' }, stream: { name: 'app.handled', description: 'Handled, renamed by a view.' } },
  // Never applied: an earlier view matched app.legacy.count.
  { selector: { instrument_name: 'app.legacy.*' }, stream: { aggregation: { drop: {} } } },
  { selector: { instrument_name: 'app.payload.size' }, stream: { aggregation: { sum: {} } } },
  { selector: { instrument_name: 'app.last.thing' }, stream: { aggregation: { last_value: {} } } },
  { selector: { instrument_name: 'app.debug.*' }, stream: { aggregation: { drop: {} } } },
  { selector: { instrument_name: 'nodejs.eventloop.delay.p??' }, stream: { aggregation: { drop: {} } } },
  { selector: { instrument_name: 'app.requests' }, stream: { attribute_keys: { excluded: ['request.*'] } } },
];

async function requests(appBase, n = 3) {
  for (let i = 0; i < n; i++) await (await fetch(`${appBase}/p${i}`)).text();
}

test('/metrics: views reshape SDK and facade streams in JSON, Prometheus (promtool) and OpenMetrics', async (t) => {
  const { app, base, appBase } = await startWithViews('test/views/fixtures/views-app.mjs', VIEWS);
  t.after(() => app.stop());
  await requests(appBase);

  // Runtime metrics arrive once the SDK's deferred system metrics have started.
  let text = '';
  await waitFor(async () => {
    text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
    return /^nodejs_eventloop_delay_max_seconds\{/m.test(text) && /^http_server_request_duration_seconds_count\{[^}]*\} 3$/m.test(text);
  }, 20000);

  // An SDK instrument: new buckets, the attributes the view's wildcards keep.
  assert.deepEqual(les(text, 'http_server_request_duration_seconds'), ['0.001', '0.5', '5', '+Inf']);
  for (const line of samples(text, 'http_server_request_duration_seconds')) {
    assert.match(line, /^[^{]+\{http_request_method="GET",otel_scope_name="@opentelemetry\/instrumentation-http"/, line);
    assert.doesNotMatch(line, /url_scheme|network_protocol|http_response_status_code/, line);
  }
  // Runtime metrics: `?` selects p50, p90 and p99 only.
  assert.doesNotMatch(text, /nodejs_eventloop_delay_p\d\d/);
  assert.match(text, /^nodejs_eventloop_delay_mean_seconds\{/m);

  // Facade instruments.
  assert.deepEqual(les(text, 'app_job_duration_seconds'), ['0.1', '0.2', '+Inf']);
  assert.deepEqual(
    samples(text, 'app_job_duration_seconds_count')
      .map((l) => /job_kind="(\w)"[^}]*\} (\d+)/.exec(l).slice(1))
      .sort(),
    [
      ['a', '10'],
      ['b', '10'],
    ],
  );
  assert.doesNotMatch(text, /user_id/);
  assert.match(
    text,
    /^# HELP app_handled_total Handled, renamed by a view\.\n# TYPE app_handled_total counter\napp_handled_total\{route="\/x",[^}]*\} 5$/m,
  );
  assert.doesNotMatch(text, /app_legacy/);
  assert.match(text, /^# TYPE app_payload_size_total counter\napp_payload_size_total\{[^}]*\} 350$/m);
  assert.match(text, /^# TYPE app_last_thing gauge\napp_last_thing\{[^}]*\} 9$/m);
  assert.doesNotMatch(text, /app_debug/);
  assert.match(text, /^app.kept.level\{[^}]*\} 42$/m);
  assert.deepEqual(
    samples(text, 'app_requests_total')
      .map((l) => /^app_requests_total\{path="(\/p\d)",otel_scope_name=/.exec(l)?.[1])
      .sort(),
    ['/p0', '/p1', '/p2'],
  );

  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);

  const open = await (await fetch(`${base}/metrics?format=openmetrics`)).text();
  assert.match(open, /^# TYPE app_handled counter\napp_handled_total\{route="\/x",[^}]*\} 5$/m);
  assert.match(open, /^# TYPE app_last_thing gauge$/m);
  assert.deepEqual(les(open, 'http_server_request_duration_seconds'), ['0.001', '0.5', '5', '+Inf']);
  assert.doesNotMatch(open, /app_debug|app_legacy|user_id|request_id|nodejs_eventloop_delay_p\d/);
  assert.match(open, /# EOF\n$/);

  const json = await (await fetch(`${base}/metrics`)).json();
  assert.equal(json.counters['app.handled'], 5);
  assert.equal(json.counters['app.legacy.count'], undefined);
  assert.equal(json.counters['app.payload.size'], 350);
  assert.equal(json.histograms['app.payload.size'], undefined);
  assert.equal(json.gauges['app.last.thing'], 9);
  assert.equal(json.histograms['app.job.duration'].count, 20);
  assert.ok(!json.series.some((s) => s.name.startsWith('app.debug')));
  const http = json.series.filter((s) => s.name === 'http.server.request.duration');
  assert.deepEqual(
    http.map((s) => [s.attributes, s.value.count]),
    [[{ 'http.request.method': 'GET' }, 3]],
  );
  assert.equal(app.out.stderr, '', 'no warning');
});

test('OTLP: the pushed streams are the viewed ones', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const service = 'views-otlp';
  const { app, appBase } = await startWithViews('test/views/fixtures/views-app.mjs', VIEWS, {
    service,
    readers: [{ periodic: { interval: 300, timeout: 5000, exporter: { otlp_http: { endpoint: `${receiver.url}/v1/metrics` } } } }],
  });
  t.after(() => app.stop());
  await requests(appBase, 2);
  const metric = (name) => receiver.metrics().filter((m) => m.resource['service.name'] === service && m.item.name === name);
  await waitFor(
    () => metric('http.server.request.duration').some((m) => m.item.histogram.dataPoints.some((p) => Number(p.count) === 2)),
    20000,
  );

  const [http] = metric('http.server.request.duration').slice(-1);
  const hp = http.item.histogram.dataPoints;
  assert.deepEqual(hp[0].explicitBounds, [0.001, 0.5, 5]);
  assert.deepEqual(
    hp.map((p) => attrs(p.attributes)),
    [{ 'http.request.method': 'GET' }],
  );

  const [handled] = metric('app.handled').slice(-1);
  assert.equal(handled.item.description, 'Handled, renamed by a view.');
  assert.equal(handled.item.sum.dataPoints[0].asDouble, 5);
  const [payload] = metric('app.payload.size').slice(-1);
  assert.equal(payload.item.sum.isMonotonic, true);
  assert.equal(payload.item.sum.dataPoints[0].asDouble, 350);
  const [last] = metric('app.last.thing').slice(-1);
  assert.equal(last.item.gauge.dataPoints[0].asDouble, 9);
  const [job] = metric('app.job.duration').slice(-1);
  const byKind = (a, b) => a[0]['job.kind'].localeCompare(b[0]['job.kind']);
  assert.deepEqual(job.item.histogram.dataPoints.map((p) => [attrs(p.attributes), p.explicitBounds]).sort(byKind), [
    [{ 'job.kind': 'a' }, [0.1, 0.2]],
    [{ 'job.kind': 'b' }, [0.1, 0.2]],
  ]);
  const [reqs] = metric('app.requests').slice(-1);
  const paths = reqs.item.sum.dataPoints.map((p) => attrs(p.attributes));
  assert.deepEqual(
    paths.sort((a, b) => a.path.localeCompare(b.path)),
    [{ path: '/p0' }, { path: '/p1' }],
  );
  for (const gone of ['app.legacy.count', 'app.debug.noise', 'nodejs.eventloop.delay.p50']) assert.equal(metric(gone).length, 0, gone);
  assert.ok(metric('app.kept.level').length > 0);
});

test('a view that cannot be applied as written: one warning naming it, the rest of it and the other views apply', async (t) => {
  const { app, base } = await startWithViews('test/views/fixtures/views-app.mjs', [
    { selector: { instrument_name: 'app.last.*' }, stream: { name: 'one.name.for.many', aggregation: { last_value: {} } } },
    { selector: { instrument_name: 'app.debug.noise' }, stream: { aggregation: { drop: {} } } },
  ]);
  t.after(() => app.stop());
  const text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
  assert.match(text, /^# TYPE app_last_thing gauge\napp_last_thing\{[^}]*\} 9$/m);
  assert.doesNotMatch(text, /one_name_for_many|app_debug/);
  await waitFor(() => app.out.stderr.includes('view #0'));
  const lines = app.out.stderr.split('\n').filter((l) => l.includes('view #'));
  assert.equal(lines.length, 1, app.out.stderr);
  assert.match(
    lines[0],
    /view #0: stream name "one\.name\.for\.many" needs a selector naming one instrument without wildcards; the name is ignored/,
  );
});
