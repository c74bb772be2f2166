// The facade's UpDownCounter under `--import ./register`: the /metrics JSON summary, the
// Prometheus text (checked by promtool) and OpenMetrics, and an OTLP push to a real receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';
import { attrs, startOtlpReceiver } from '../otlp.js';

async function startFixture(env = {}) {
  const port = await freePort();
  const app = startApp('test/metrics/fixtures/up-down-counter.js', {
    env: { MONITORING_PORT: String(port), MONITORING_SYSTEM_METRICS: 'false', OTEL_METRICS_EXPORTER: 'none', ...env },
  });
  await waitForHttp(`http://127.0.0.1:${port}/health/live`);
  await waitFor(() => app.out.stdout.includes('ready'));
  return { app, base: `http://127.0.0.1:${port}` };
}

test('/metrics: up-down counters in the JSON summary, as Prometheus gauges without _total, promtool clean', async (t) => {
  const { app, base } = await startFixture();
  t.after(() => app.stop());

  const json = await (await fetch(`${base}/metrics`)).json();
  const items = json.series.filter((s) => s.name === 'fixture.queue.items');
  assert.deepEqual(
    items.map((s) => [s.attributes.queue, s.value, s.type, s.unit]),
    [
      ['a', 3, 'updowncounter', '{item}'],
      ['b', -3, 'updowncounter', '{item}'],
    ],
  );
  assert.equal(json.gauges['fixture.connections.open'], 2);
  assert.equal(json.counters['fixture.queue.items'], undefined, 'not a counter');
  assert.equal(json.counters['fixture.udc.requests'], 4);

  const text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
  assert.match(text, /^# HELP fixture_queue_items Items waiting in the queue\.\n# TYPE fixture_queue_items gauge\n/m);
  assert.match(text, /^fixture_queue_items\{queue="a",otel_scope_name="@socketcomm\/monitoring",otel_scope_version="[^"]+"\} 3$/m);
  assert.match(text, /^fixture_queue_items\{queue="b",[^}]*\} -3$/m);
  assert.match(text, /^# TYPE fixture_connections_open gauge\nfixture_connections_open\{[^}]*\} 2$/m);
  assert.doesNotMatch(text, /fixture_(queue_items|connections_open)_total/);
  assert.match(text, /^# TYPE fixture_udc_requests_total counter$/m);
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
  assert.equal(r.stdout.trim(), '', `lint output: ${r.stdout}`);

  const open = await (await fetch(`${base}/metrics?format=openmetrics`)).text();
  assert.match(open, /^# TYPE fixture_queue_items gauge\n/m);
  assert.match(open, /^fixture_queue_items\{queue="b",[^}]*\} -3$/m);
  assert.equal(app.out.stderr, '', 'nothing on stderr');
});

test('OTLP: an up-down counter is a non-monotonic sum, cumulative even when the exporter prefers delta', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const service = 'otlp-updowncounter';
  const { app } = await startFixture({
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    OTEL_SERVICE_NAME: service,
    OTEL_METRIC_EXPORT_INTERVAL: '300',
    OTEL_METRIC_EXPORT_TIMEOUT: '5000',
  });
  t.after(() => app.stop());
  const metric = (name) => receiver.metrics().filter((m) => m.resource['service.name'] === service && m.item.name === name);
  // Two exports after the app recorded: a cumulative point repeats its total, a delta one does not.
  await waitFor(() => metric('fixture.queue.items').length >= 2 && metric('fixture.udc.requests').length >= 2);
  for (const { item, scope } of metric('fixture.queue.items')) {
    assert.equal(scope, '@socketcomm/monitoring');
    assert.equal(item.unit, '{item}');
    assert.equal(item.sum.isMonotonic, false);
    assert.equal(item.sum.aggregationTemporality, 2 /* CUMULATIVE */);
    const byQueue = Object.fromEntries(item.sum.dataPoints.map((p) => [attrs(p.attributes).queue, p.asDouble]));
    assert.deepEqual(byQueue, { a: 3, b: -3 });
  }
  const counter = metric('fixture.udc.requests').map((m) => m.item.sum);
  assert.ok(
    counter.every((s) => s.isMonotonic === true && s.aggregationTemporality === 1 /* DELTA */),
    JSON.stringify(counter),
  );
  assert.equal(
    counter.flatMap((s) => s.dataPoints).reduce((a, p) => a + p.asDouble, 0),
    4,
    "the counter's deltas add up to its total",
  );
});
