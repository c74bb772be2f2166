// Series that expire, end to end under register: MONITORING_SERIES_TTL_MS (and a declared
// ttlMs) drop a series not recorded for the TTL from /metrics (Prometheus text checked by
// promtool, OpenMetrics, JSON) and from the store's memory; a returning counter or histogram
// starts again from zero (with a new start time in OTLP pushes); a bound handle revives its
// series. The series clock is moved forward through the fixture instead of sleeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startTtlApp, sample } from './ttl-helpers.js';
import { waitFor } from '../helpers.js';
import { attrs, startOtlpReceiver } from '../otlp.js';

const TTL = 60_000;

function promtool(text) {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
}

test('idle series leave /metrics (Prometheus, OpenMetrics, JSON) and memory; returning ones start from zero', async (t) => {
  const { app, record, advance, store, prometheus, json, call } = await startTtlApp({ MONITORING_SERIES_TTL_MS: String(TTL) });
  t.after(() => app.stop());
  await record('app.jobs', 'a', 5);
  await record('app.jobs', 'b', 3);
  await record('app.latency', 'x', 0.5);
  await call('/bound?value=2');

  let text = await prometheus();
  assert.equal(sample(text, 'app_jobs_total\\{id="a",route="/r",[^}]*\\}'), 5);
  assert.equal(sample(text, 'app_jobs_total\\{id="b",route="/r",[^}]*\\}'), 3);
  assert.equal(sample(text, 'app_latency_seconds_count\\{id="x",[^}]*\\}'), 1);
  assert.equal(sample(text, 'app_bound_total\\{k="v",[^}]*\\}'), 2);
  const before = await store();
  assert.equal(before['app.jobs'].series, 3);

  // b is recorded after that collection, a and the others are not; then the TTL passes.
  await record('app.jobs', 'b', 1);
  await advance(TTL + 1000);
  text = await prometheus();
  assert.equal(sample(text, 'app_jobs_total\\{id="a",[^}]*\\}'), undefined, 'a expired');
  assert.equal(sample(text, 'app_jobs_total\\{id="b",route="/r",[^}]*\\}'), 4, 'b was recorded within the TTL');
  assert.doesNotMatch(text, /app_latency_seconds_(bucket|count|sum)\{/, 'the histogram series expired');
  assert.doesNotMatch(text, /app_bound_total\{/, 'the bound series expired');
  promtool(text);
  const open = await prometheus('openmetrics');
  assert.doesNotMatch(open, /id="a"|app_bound_total\{|app_latency_seconds_count\{/);
  assert.match(open, /# EOF\n$/);
  const summary = await json();
  const ids = summary.series.filter((s) => s.name === 'app.jobs').map((s) => s.attributes.id);
  assert.ok(ids.includes('b') && !ids.includes('a'), JSON.stringify(ids));
  assert.equal(summary.histograms['app.latency'], undefined);
  assert.equal(summary.counters['app.bound'], 0, 'a declared counter without series shows 0');

  // Memory: the map and the trie hold only what is left, once reclaimed (in slices, on timers).
  let after;
  await waitFor(async () => (after = await store())['app.bound'].series === 0 && after['app.jobs'].series <= 2, 10000);
  assert.ok(after['app.jobs'].nodes < before['app.jobs'].nodes, JSON.stringify({ before, after }));
  assert.equal(after['app.latency'].series, 0);
  assert.equal(after['app.latency'].nodes, 1, 'only the root is left');
  assert.equal(after['app.bound'].series, 0);

  // Back: counters and histograms start again from zero; the bound handle revives its series.
  await record('app.jobs', 'a', 2);
  await record('app.latency', 'x', 2);
  await call('/bound?value=1');
  text = await prometheus();
  assert.equal(sample(text, 'app_jobs_total\\{id="a",route="/r",[^}]*\\}'), 2);
  assert.equal(sample(text, 'app_latency_seconds_count\\{id="x",[^}]*\\}'), 1);
  assert.equal(sample(text, 'app_latency_seconds_bucket\\{id="x",[^}]*le="1"\\}'), 0);
  assert.equal(sample(text, 'app_latency_seconds_sum\\{id="x",[^}]*\\}'), 2);
  assert.equal(sample(text, 'app_bound_total\\{k="v",[^}]*\\}'), 1);
  promtool(text);
  assert.equal((await store())['app.bound'].series, 1);
  assert.equal(app.out.stderr, '', 'no warning');
});

test('a declared ttlMs applies without the environment variable; other metrics keep their series', async (t) => {
  const { app, record, advance, prometheus } = await startTtlApp({ DECLARED_TTL_MS: '1000' });
  t.after(() => app.stop());
  await record('app.jobs', 'a', 5);
  await record('app.other', 'a', 7);
  let text = await prometheus();
  assert.equal(sample(text, 'app_jobs_total\\{id="a",[^}]*\\}'), 5);
  await advance(5000);
  text = await prometheus();
  assert.equal(sample(text, 'app_jobs_total\\{id="a",[^}]*\\}'), undefined);
  assert.equal(sample(text, 'app_other_total\\{id="a",[^}]*\\}'), 7, 'no TTL by default');
});

test('OTLP push: an idle series leaves the pushes; back, it starts from zero with a new start time', async (t) => {
  const receiver = await startOtlpReceiver();
  t.after(() => receiver.close());
  const service = 'ttl-otlp';
  const { app, record, advance } = await startTtlApp({
    MONITORING_SERIES_TTL_MS: String(TTL),
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: service,
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_METRIC_EXPORT_TIMEOUT: '5000',
  });
  t.after(() => app.stop());
  const jobs = () =>
    receiver
      .metrics()
      .filter((m) => m.resource['service.name'] === service && m.item.name === 'app.jobs')
      .map((m) => new Map(m.item.sum.dataPoints.map((p) => [attrs(p.attributes).id, p])));
  const latest = () => jobs().at(-1);
  await record('app.jobs', 'a', 5);
  await waitFor(() => latest()?.get('a')?.asDouble === 5, 20000);
  const firstStart = BigInt(latest().get('a').startTimeUnixNano);

  await advance(TTL + 1000);
  const pushes = jobs().length;
  // Pushes go on (the live series); two more make sure a collection after the move has run.
  await waitFor(() => jobs().length >= pushes + 2 && !latest().has('a'), 20000);

  await record('app.jobs', 'a', 2);
  await waitFor(() => latest()?.get('a') !== undefined, 20000);
  const back = latest().get('a');
  assert.equal(back.asDouble, 2, 'starts again from zero');
  const newStart = BigInt(back.startTimeUnixNano);
  assert.ok(newStart - firstStart >= BigInt(TTL) * 1_000_000n, `start ${firstStart} -> ${newStart}: after the TTL`);
  assert.ok(newStart <= BigInt(back.timeUnixNano));
});
