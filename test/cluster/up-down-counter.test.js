// Up-down counters across node:cluster workers under --import ./register: summed into one
// series over the live workers; a departed worker's contribution leaves with it (a counter's stays).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { waitFor } from '../helpers.js';
import { startClusterApp, metricsJson, counterOf } from './cluster-helpers.js';

const U = 'cluster.test.inflight';
const C = 'cluster.test.increments';

test(
  "2 workers at 2 each: one series of 4; after kill -9 and a replacement still 4 while the counter keeps the dead worker's counts",
  { timeout: 60000 },
  async (t) => {
    const app = await startClusterApp({ workers: 2 });
    t.after(async () => {
      await app.stop('SIGKILL');
      for (const e of app.events())
        if (e.pid)
          try {
            process.kill(e.pid, 'SIGKILL');
          } catch {}
    });
    await app.waitEvents('recorded', 2);
    const { body } = await metricsJson(app.base);
    assert.equal(body.gauges[U], 4);
    const series = body.series.filter((s) => s.name === U);
    assert.deepEqual(
      series.map((s) => [s.type, s.attributes, s.value]),
      [['updowncounter', { app: 'cluster' }, 4]],
      'one series, no worker attribute',
    );

    const text = await (await fetch(`${app.base}/metrics?format=prometheus`)).text();
    assert.match(text, /^# TYPE cluster_test_inflight gauge\ncluster_test_inflight\{app="cluster",[^}]*\} 4$/m);
    // promtool parses the whole exposition; its only lint finding is the fixture's gauge named "gauge".
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.deepEqual((r.stdout + r.stderr).trim().split('\n'), ["cluster_test_gauge metric name should not include type 'gauge'"]);

    const victim = app.events().find((e) => e.event === 'recorded');
    process.kill(victim.pid, 'SIGKILL');
    await app.waitEvents('recorded', 3);
    const after = await waitFor(async () => {
      const { body: b } = await metricsJson(app.base);
      return counterOf(b, C) === 30000 ? b : false;
    }, 10000);
    assert.equal(after.gauges[U], 4, 'the two live workers, not the departed one');
  },
);
