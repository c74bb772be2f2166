// docs/cluster.md under node:cluster: setClusterGaugeAggregation in the workers,
// MONITORING_CLUSTER_MIN_READY, MONITORING_CLUSTER_TIMEOUT_MS and MONITORING_CLUSTER=false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { freePort, startApp, waitFor } from '../helpers.js';

const QUIET = { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', MONITORING_HOST: '127.0.0.1' };

function startCluster(env) {
  const app = startApp('test/promises/fixtures/cluster-app.js', { env: { ...QUIET, ...env } });
  const events = () =>
    app.out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  const stop = async () => {
    await app.stop('SIGKILL');
    for (const e of events())
      if (e.pid)
        try {
          process.kill(e.pid, 'SIGKILL');
        } catch {}
  };
  return { app, events, stop, waitEvent: (event, n) => waitFor(() => events().filter((e) => e.event === event).length >= n, 20000) };
}

/** Sample lines of one family in a Prometheus text: [{ labels, value }]. */
const samples = (text, family) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${family}{`) || l.startsWith(`${family} `))
    .map((l) => ({
      labels: Object.fromEntries([...l.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
      value: Number(l.slice(l.lastIndexOf(' ') + 1)),
    }));

test(
  'gauges declared with setClusterGaugeAggregation; MONITORING_CLUSTER_MIN_READY=1; MONITORING_CLUSTER_TIMEOUT_MS=2000',
  { timeout: 60000 },
  async (t) => {
    const dep = net.createServer((s) => s.end());
    await new Promise((r) => dep.listen(0, '127.0.0.1', r));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const c = startCluster({
      MONITORING_PORT: String(port),
      WORKERS: '2',
      DEP_PORT_1: String(dep.address().port), // worker 1's dependency is up
      DEP_PORT_2: String(await freePort()), // worker 2's is not
      MONITORING_HEALTH_INTERVAL_MS: '200',
      MONITORING_CLUSTER_MIN_READY: '1',
      MONITORING_CLUSTER_TIMEOUT_MS: '2000',
      BLOCK_MS: '4000',
    });
    t.after(async () => {
      await c.stop();
      dep.close();
    });
    await c.waitEvent('recorded', 2);

    const text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
    const depth = samples(text, 'queue_depth');
    assert.equal(depth.length, 1, JSON.stringify(depth));
    assert.equal(depth[0].value, 30, "'sum': 10 + 20");
    assert.ok(!('worker' in depth[0].labels));
    const oldest = samples(text, 'queue_oldest');
    assert.deepEqual(
      oldest.map((s) => s.value),
      [20],
      "'max'",
    );
    const own = samples(text, 'worker_own')
      .map((s) => [s.labels.worker, s.value])
      .sort();
    assert.deepEqual(
      own,
      [
        ['1', 1],
        ['2', 2],
      ],
      'undeclared gauges stay per worker',
    );
    assert.deepEqual(
      samples(text, 'cluster_promise_count_total').map((s) => s.value),
      [300],
    );

    // One of two workers ready is enough with MIN_READY=1 (without it: all, so 503).
    const ready = await waitFor(
      async () => {
        const r = await fetch(`${base}/health/ready`);
        const b = await r.json();
        return b.workers?.readyWorkers === 1 && { status: r.status, body: b };
      },
      15000,
      100,
    );
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal(ready.body.workers.expectedWorkers, 2);
    assert.equal(ready.body.workers.minReady, 1);
    // Worker 1's dependency goes away: no worker ready, 503.
    await new Promise((r) => dep.close(r));
    const none = await waitFor(
      async () => {
        const r = await fetch(`${base}/health/ready`);
        const b = await r.json();
        return b.workers?.readyWorkers === 0 && { status: r.status, body: b };
      },
      15000,
      100,
    );
    assert.equal(none.status, 503);

    // A worker whose event loop is blocked: the scrape waits MONITORING_CLUSTER_TIMEOUT_MS for it
    // (2000 ms here, 750 by default), then answers with its last values and counts a failure.
    const worker1 = c.events().find((e) => e.event === 'recorded' && e.id === 1).pid;
    process.kill(worker1, 'SIGUSR2');
    await c.waitEvent('blocking', 1);
    const t0 = performance.now();
    const late = await (await fetch(`${base}/metrics?format=prometheus`, { signal: AbortSignal.timeout(10000) })).text();
    const ms = performance.now() - t0;
    assert.ok(ms >= 1900 && ms < 3900, `the scrape took ${ms.toFixed(0)} ms`);
    assert.deepEqual(
      samples(late, 'cluster_promise_count_total').map((s) => s.value),
      [300],
      "the late worker's last values",
    );
    // The next scrape does not wait for it again, and shows the failure it counted.
    const t1 = performance.now();
    const next = await (await fetch(`${base}/metrics?format=prometheus`)).text();
    assert.ok(
      performance.now() - t1 < 1900,
      `the next scrape (not waiting the 2000 ms again) took ${(performance.now() - t1).toFixed(0)} ms`,
    );
    assert.ok(samples(next, 'monitoring_cluster_collect_failures_total')[0]?.value >= 1, 'a collection failure counted');
  },
);

test('MONITORING_CLUSTER=false: no election, each process serves its own metrics on its own port', { timeout: 60000 }, async (t) => {
  const [primaryPort, worker1Port, worker2Port] = [await freePort(), await freePort(), await freePort()];
  const c = startCluster({
    MONITORING_CLUSTER: 'false',
    MONITORING_PORT: String(primaryPort),
    WORKER_PORT_1: String(worker1Port),
    WORKER_PORT_2: String(worker2Port),
    WORKERS: '2',
  });
  t.after(() => c.stop());
  await c.waitEvent('recorded', 2);
  const metrics = async (port) => waitFor(async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).json(), 15000);
  const [primary, w1, w2] = await Promise.all([metrics(primaryPort), metrics(worker1Port), metrics(worker2Port)]);
  assert.equal(primary.counters['cluster.promise.count'], undefined, 'the primary serves only its own metrics');
  assert.equal(w1.counters['cluster.promise.count'], 100);
  assert.equal(w2.counters['cluster.promise.count'], 200);
  assert.equal(w1.gauges['queue.depth'], 10, 'no merge, so no sum');
  const status = await (await fetch(`http://127.0.0.1:${primaryPort}/status`)).json();
  assert.ok(status.workers === undefined || status.workers.length <= 1, `no worker list: ${JSON.stringify(status.workers)}`);
  assert.equal(c.app.out.stderr, '');
});
