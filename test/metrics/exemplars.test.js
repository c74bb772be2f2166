// Exemplars: a histogram recorded inside a sampled span carries that trace id per bucket in
// the OpenMetrics exposition, and the real Prometheus stores and returns it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';
import { startPrometheus } from '../prometheus.js';

let app;
let prom;
let mport;
let ids;

before(async () => {
  mport = await freePort();
  app = startApp('test/fixtures/exemplars.js', { env: { MONITORING_PORT: String(mport) } });
  await waitForHttp(`http://127.0.0.1:${mport}/health/live`);
  ids = (await waitFor(() => app.out.stdout.includes('ids') && JSON.parse(app.out.stdout.split('\n')[0]))).ids;
});
after(async () => {
  await prom?.stop();
  await app?.stop('SIGKILL');
});

test('OpenMetrics exposition carries the trace id of the last observation per bucket', async () => {
  const res = await fetch(`http://127.0.0.1:${mport}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
  assert.match(res.headers.get('content-type'), /^application\/openmetrics-text; version=1\.0\.0/);
  const text = await res.text();
  assert.ok(text.endsWith('# EOF\n'));
  const line = (le) => text.split('\n').find((l) => l.startsWith('fixture_exemplar_latency_seconds_bucket{') && l.includes(`le="${le}"`));
  // 0.05 and then 0.07 (no span) fall in le=0.1: the exemplar stays the sampled one.
  assert.match(line('0.1'), new RegExp(`# \\{trace_id="${ids[0]}",span_id="[0-9a-f]{16}"\\} 0\\.05 `));
  assert.match(line('1'), new RegExp(`trace_id="${ids[1]}"`));
  assert.match(line('+Inf'), new RegExp(`trace_id="${ids[2]}".* 5 `));
  // The plain Prometheus text format has no exemplars.
  const plain = await (await fetch(`http://127.0.0.1:${mport}/metrics?format=prometheus`)).text();
  assert.doesNotMatch(plain, /trace_id=/);
});

test('the real Prometheus (exemplar storage) returns them through /api/v1/query_exemplars', async () => {
  prom = await startPrometheus({
    exemplars: true,
    jobs: [{ name: 'exemplars', targets: [`127.0.0.1:${mport}`], params: { format: ['prometheus'] } }],
  });
  await prom.waitForTargetsUp();
  const found = await waitFor(
    async () => {
      const now = Date.now() / 1000;
      const j = await prom.api(
        `/api/v1/query_exemplars?query=${encodeURIComponent('fixture_exemplar_latency_seconds_bucket')}&start=${now - 300}&end=${now + 60}`,
      );
      const traceIds = (j.data ?? []).flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
      return ids.every((id) => traceIds.includes(id)) ? traceIds : false;
    },
    20000,
    500,
  );
  assert.ok(found.length >= 3);
});
