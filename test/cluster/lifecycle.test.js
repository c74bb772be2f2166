// node:cluster: readiness over workers, /status's worker list, OTLP per worker, and SIGTERM
// to the primary (readiness 503, every worker flushes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { startClusterApp, metricsJson } from './cluster-helpers.js';

test(
  'readiness over workers, /status lists workers, each worker pushes its own OTLP, SIGTERM flushes all',
  { timeout: 60000 },
  async (t) => {
    const receiver = await startOtlpReceiver();
    const app = await startClusterApp({
      workers: 2,
      env: {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_SERVICE_NAME: 'cluster-lifecycle',
        // Long interval: what arrives was flushed at shutdown.
        OTEL_METRIC_EXPORT_INTERVAL: '600000',
        MONITORING_SHUTDOWN_DELAY_MS: '1500',
        MONITORING_HEALTH_INTERVAL_MS: '200',
      },
    });
    t.after(async () => {
      await app.stop('SIGKILL');
      for (const e of app.events())
        if (e.pid)
          try {
            process.kill(e.pid, 'SIGKILL');
          } catch {}
      await receiver.close();
    });
    await app.waitEvents('recorded', 2);
    const workerPids = app
      .events()
      .filter((e) => e.event === 'recorded')
      .map((e) => e.pid)
      .sort();

    const ready = await fetch(`${app.base}/health/ready`);
    const rb = await ready.json();
    assert.equal(ready.status, 200, JSON.stringify(rb));
    assert.equal(rb.workers.readyWorkers, 2);
    assert.equal(rb.workers.expectedWorkers, 2);
    assert.deepEqual(rb.workers.workers.map((w) => w.pid).sort(), workerPids);

    await metricsJson(app.base);
    const st = await (await fetch(`${app.base}/status`)).json();
    assert.equal(st.workers.length, 3, 'the primary and two workers');
    assert.equal(st.workers[0].role, 'leader');
    assert.equal(st.workers[0].pid, app.child.pid);
    for (const w of st.workers.slice(1)) {
      assert.equal(w.role, 'follower');
      assert.ok(workerPids.includes(w.pid));
      assert.ok(w.uptimeSeconds > 0 && w.memory.rss > 0, JSON.stringify(w));
      assert.ok(w.lastCollectionAgeMs >= 0 && w.lastCollectionAgeMs < 5000, JSON.stringify(w));
    }

    // SIGTERM to the primary alone (as a supervisor sends it): readiness turns 503 at once.
    process.kill(app.child.pid, 'SIGTERM');
    const during = await waitFor(
      async () => {
        const r = await fetch(`${app.base}/health/ready`);
        return r.status === 503 ? r : false;
      },
      1400,
      50,
    );
    assert.equal(during.status, 503);
    // The primary has no SIGTERM listener of its own: monitoring exits it after the sequence, 143.
    assert.deepEqual(await app.exited, { code: 143, signal: null });

    // Every worker flushed before the primary exited: each worker's 10,000 arrived once, under its own instance id.
    // One export per worker: a second copy of a worker's points must show, not overwrite the first.
    const points = receiver.metrics().filter((m) => m.item.name === 'cluster.test.increments');
    const pushed = points.map((p) => [
      p.resource['service.instance.id'],
      p.item.sum.dataPoints.reduce((a, d) => a + Number(d.asDouble ?? d.asInt ?? 0), 0),
    ]);
    assert.equal(pushed.length, 2, `one export from each of two workers: ${JSON.stringify(pushed)}`);
    assert.notEqual(pushed[0][0], pushed[1][0], `two instance ids: ${JSON.stringify(pushed)}`);
    assert.deepEqual(
      pushed.map(([, v]) => v),
      [10000, 10000],
    );
    // The serving primary pushed its own data only (no merged copy): it recorded none of these.
    const primaryHas = receiver
      .metrics()
      .some((m) => m.resource['process.pid'] === app.child.pid && m.item.name === 'cluster.test.increments');
    assert.equal(primaryHas, false);
    const alive = (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => workerPids.every((pid) => !alive(pid)), 5000);
  },
);
