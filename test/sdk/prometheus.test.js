// The real Prometheus (Debian package) scrapes an app started with `node --import ./register`,
// with the PySocketCommLib-compatible scrape config, and reads back exact values through its HTTP API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { freePort, startApp, waitForHttp, waitFor } from '../helpers.js';
import { startPrometheus } from '../prometheus.js';

let app;
let prom;
let mport;

before(async () => {
  mport = await freePort();
  app = startApp('test/fixtures/recorder.js', { env: { MONITORING_PORT: String(mport), OTEL_SERVICE_NAME: 'recorder' } });
  await waitForHttp(`http://127.0.0.1:${mport}/health/live`);
  // The server answers before the app's own code has run: wait for the app.
  await waitFor(() => app.out.stdout.includes('ready'));
  prom = await startPrometheus({
    exemplars: true,
    jobs: [{ name: 'pysocketcommlib', targets: [`127.0.0.1:${mport}`], metricsPath: '/metrics', params: { format: ['prometheus'] } }],
  });
});

after(async () => {
  await prom?.stop();
  await app?.stop();
});

test('promtool check metrics accepts the exposition with no lint problems', async () => {
  const text = await (await fetch(`http://127.0.0.1:${mport}/metrics?format=prometheus`)).text();
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
  assert.equal(r.stdout.trim(), '', `lint output: ${r.stdout}`);
});

test('the exposition has the content type Prometheus expects', async () => {
  const res = await fetch(`http://127.0.0.1:${mport}/metrics?format=prometheus`);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const viaAccept = await fetch(`http://127.0.0.1:${mport}/metrics`, { headers: { accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1' } });
  assert.match(viaAccept.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  assert.match(await viaAccept.text(), /fixture_jobs_total/);
});

test('Prometheus reads back the counter, gauge and histogram exactly', async () => {
  await prom.waitForTargetsUp();
  const value = async (q) => {
    const r = await waitFor(
      async () => {
        const res = await prom.query(q);
        return res.length > 0 ? res : false;
      },
      20000,
      250,
    );
    return r.map((s) => Number(s.value[1]));
  };
  assert.deepEqual(await value('fixture_jobs_total{kind="odd"}'), [617]);
  assert.deepEqual(await value('fixture_jobs_total{kind="even"}'), [617]);
  assert.deepEqual(await value('fixture_bytes_total'), [4096]);
  assert.deepEqual(await value('fixture_queue_depth'), [42]);
  assert.deepEqual(await value('fixture_latency_seconds_count{route="/x"}'), [5]);
  assert.deepEqual(await value('fixture_latency_seconds_sum{route="/x"}'), [3.25]);
  assert.deepEqual(await value('fixture_latency_seconds_bucket{route="/x",le="0.5"}'), [3]);
  assert.deepEqual(await value('fixture_latency_seconds_bucket{route="/x",le="+Inf"}'), [5]);
  const up = await value('up{job="pysocketcommlib"}');
  assert.deepEqual(up, [1]);
  const info = await prom.query('target_info');
  assert.equal(info[0].metric.service_name, 'recorder');
});

test('Prometheus scraped the monitoring server with no errors in its log', () => {
  assert.doesNotMatch(prom.stderr, /level=(error|warn).*(scrape|append)/i);
});
