// node:cluster under --import ./register: one port for the whole service, exact sums.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPrometheus } from '../prometheus.js';
import { waitFor } from '../helpers.js';
import { startClusterApp, metricsJson, counterOf } from './cluster-helpers.js';

const C = 'cluster.test.increments';
const H = 'cluster.test.duration';

test(
  '4 workers: Prometheus sees exactly 40,000 and count 20 on every scrape; kill -9 + replacement reaches 50,000, never lower',
  { timeout: 60000 },
  async (t) => {
    const app = await startClusterApp({ workers: 4 });
    let prom;
    t.after(async () => {
      await prom?.stop();
      await app.stop('SIGKILL');
      for (const e of app.events())
        if (e.pid)
          try {
            process.kill(e.pid, 'SIGKILL');
          } catch {}
    });
    await app.waitEvents('recorded', 4);
    const first = await metricsJson(app.base);
    assert.equal(counterOf(first.body, C), 40000);
    assert.equal(first.body.histograms[H].count, 20);

    prom = await startPrometheus({ jobs: [{ name: 'cluster', targets: [`127.0.0.1:${app.port}`] }] });
    await prom.waitForTargetsUp();
    await waitFor(
      async () => ((await prom.query('count_over_time(cluster_test_increments_total[1m])'))[0]?.value[1] ?? 0) >= 4,
      20000,
      250,
    );
    const samples = await prom.query('cluster_test_increments_total[1m]');
    assert.equal(samples.length, 1, 'one series for the whole service');
    const values = samples[0].values.map(([, v]) => Number(v));
    assert.ok(values.length >= 4);
    assert.deepEqual(new Set(values), new Set([40000]), `every scrape reads 40000: ${values}`);
    const counts = (await prom.query('cluster_test_duration_count[1m]'))[0].values.map(([, v]) => Number(v));
    assert.deepEqual(new Set(counts), new Set([20]), `every scrape reads count 20: ${counts}`);
    const up = (await prom.query('up{job="cluster"}[1m]'))[0].values.map(([, v]) => Number(v));
    assert.ok(
      up.every((v) => v === 1),
      `every scrape succeeded: ${up}`,
    );

    // kill -9 one worker; the primary forks a replacement, which records 10,000 more.
    const victim = app.events().find((e) => e.event === 'recorded');
    const reads = [];
    let stop = false;
    const poller = (async () => {
      while (!stop) {
        const { body } = await metricsJson(app.base);
        reads.push(counterOf(body, C));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    process.kill(victim.pid, 'SIGKILL');
    await app.waitEvents('recorded', 5);
    await waitFor(() => reads.at(-1) === 50000, 10000);
    await new Promise((r) => setTimeout(r, 2500)); // let Prometheus scrape the new total too
    stop = true;
    await poller;
    for (let i = 1; i < reads.length; i++)
      assert.ok(
        reads[i] >= reads[i - 1],
        `poll ${i} read ${reads[i]} after ${reads[i - 1]}: ${reads.join(',')} ${JSON.stringify(app.events())}`,
      );
    assert.ok(
      reads.every((v) => v === 40000 || v === 50000),
      `only whole totals: ${[...new Set(reads)]}`,
    );
    const after = (await prom.query('cluster_test_increments_total[1m]'))[0].values.map(([, v]) => Number(v));
    for (let i = 1; i < after.length; i++) assert.ok(after[i] >= after[i - 1], `Prometheus never saw a drop: ${after}`);
    assert.equal(after.at(-1), 50000);
    assert.equal(Number((await prom.query('resets(cluster_test_increments_total[1m])'))[0].value[1]), 0);
    const hist = await metricsJson(app.base);
    assert.equal(hist.body.histograms[H].count, 25);
  },
);

test(
  'a worker blocking its event loop for 5 s: scrapes keep answering without waiting for it, with its last values and a failure count',
  { timeout: 60000 },
  async (t) => {
    const BLOCK_MS = 5000;
    const COLLECT_TIMEOUT_MS = 750; // MONITORING_CLUSTER_TIMEOUT_MS's default
    const app = await startClusterApp({ workers: 2, env: { BLOCK_MS: String(BLOCK_MS) } });
    t.after(async () => {
      await app.stop('SIGKILL');
      for (const e of app.events())
        if (e.pid)
          try {
            process.kill(e.pid, 'SIGKILL');
          } catch {}
    });
    await app.waitEvents('recorded', 2);
    assert.equal(counterOf((await metricsJson(app.base)).body, C), 20000);
    const blocked = app.events().find((e) => e.event === 'recorded');
    process.kill(blocked.pid, 'SIGUSR2');
    await app.waitEvents('blocking', 1);
    const times = [];
    const t0 = Date.now();
    while (Date.now() - t0 < BLOCK_MS + 500 && app.count('unblocked') === 0) {
      const { ms, body } = await metricsJson(app.base);
      times.push(ms);
      assert.equal(counterOf(body, C), 20000, "the blocked worker's last values are still served");
      await new Promise((r) => setTimeout(r, 100));
    }
    // The behaviour, with margins a loaded box does not eat: no scrape waited for the blocked
    // worker (that takes until its block ends, seconds), and once it missed a collection the
    // scrapes stop asking it, so a typical one takes a fraction of the collection timeout.
    const ms = times.map(Math.round);
    assert.ok(times.length >= 5, `${times.length} scrapes during the block`);
    assert.ok(Math.max(...times) < BLOCK_MS / 2, `slowest scrape ${Math.max(...ms)} ms: ${ms}`);
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    assert.ok(median < COLLECT_TIMEOUT_MS / 2, `median scrape ${Math.round(median)} ms: ${ms}`);
    const { body } = await metricsJson(app.base);
    assert.ok(body.counters['monitoring.cluster.collect.failures'] >= 1, 'failed worker collections are counted');
    assert.equal(counterOf(body, C), 20000);
  },
);
