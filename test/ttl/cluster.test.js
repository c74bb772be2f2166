// Series that expire in node:cluster workers: a worker's expired series leaves the leader's
// merged /metrics (JSON and Prometheus text checked by promtool); the others stay summed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

const WORKERS = 2;
const TTL = 60_000;

test("cluster: a worker's expired series leaves the leader's merged view", async (t) => {
  const port = await freePort();
  const app = startApp('test/ttl/fixtures/ttl-cluster-app.mjs', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      MONITORING_SYSTEM_METRICS: 'false',
      MONITORING_SERIES_TTL_MS: String(TTL),
      ADVANCE_MS: String(TTL + 1000),
      WORKERS: String(WORKERS),
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  t.after(() => app.stop());
  const base = `http://127.0.0.1:${port}`;
  const count = (event) => app.out.stdout.split('\n').filter((l) => l.includes(`"event":"${event}"`)).length;
  await waitForHttp(`${base}/health/live`, 20000);
  await waitFor(() => count('recorded') >= WORKERS, 20000);
  const jobs = async () => {
    const body = await (await fetch(`${base}/metrics`)).json();
    return Object.fromEntries(body.series.filter((s) => s.name === 'ttl.jobs').map((s) => [s.attributes.id, s.value]));
  };
  let seen;
  await waitFor(async () => {
    seen = await jobs();
    return seen.live === WORKERS && Object.keys(seen).length === WORKERS + 1;
  }, 20000);
  for (let i = 1; i <= WORKERS; i++) assert.equal(seen[`old-${i}`], 3);

  app.child.kill('SIGUSR2');
  await waitFor(() => count('advanced') >= WORKERS, 20000);
  await waitFor(async () => {
    seen = await jobs();
    return Object.keys(seen).length === 1;
  }, 20000);
  assert.deepEqual(seen, { live: 2 * WORKERS }, 'only the series recorded within the TTL, summed over the workers');
  const text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
  assert.doesNotMatch(text, /id="old-/);
  assert.match(text, new RegExp(`^ttl_jobs_total\\{id="live",[^}]*\\} ${2 * WORKERS}$`, 'm'));
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
});
