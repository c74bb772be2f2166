// The monitoring server at full speed (autocannon) on /health/live, /health, /metrics and
// /metrics?format=prometheus while the app serves traffic that records metrics and spans:
// 0 errors, 0 non-2xx, RSS and handle count flat (slopes reported).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import autocannon from 'autocannon';
import { startOtlpReceiver } from '../otlp.js';
import { figure, MB, probe, SOAK, slope, startLoadApp, steadyLoadIsolated } from './lib.js';

const SECONDS = SOAK ? 60 : 10;

test(`load: ${SECONDS} s of autocannon on the monitoring routes while the app records telemetry`, async (t) => {
  const receiver = await startOtlpReceiver();
  const app = await startLoadApp({
    WORK_MS: '2',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_METRIC_EXPORT_INTERVAL: '5000',
    MONITORING_HEALTH_INTERVAL_MS: '1000',
  });
  try {
    // Handles idle before and after (under load the count includes the requests in flight).
    const idleBefore = (await probe(app.appUrl)).resources;
    const samples = [];
    const t0 = Date.now();
    const sampler = setInterval(async () => {
      try {
        const p = await probe(app.appUrl);
        samples.push({ t: (Date.now() - t0) / 1000, rss: p.rss, handles: p.resources });
      } catch {}
    }, 1000);
    // The app's own traffic: spans, log records and metrics all along.
    const appLoad = steadyLoadIsolated(`${app.appUrl}/work`, { rps: 100, durationMs: SECONDS * 1000 });
    const result = await autocannon({
      url: app.monUrl,
      connections: 8,
      duration: SECONDS,
      requests: [{ path: '/health/live' }, { path: '/health' }, { path: '/metrics' }, { path: '/metrics?format=prometheus' }],
    });
    const appResult = await appLoad;
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 6000)); // keep-alive sockets time out (5 s)
    const idleAfter = (await probe(app.appUrl)).resources;
    const warm = samples.filter((s) => s.t >= 2);
    const rssSlope = (slope(warm.map((s) => [s.t, s.rss])) * 60) / MB;
    const handleSlope = slope(warm.map((s) => [s.t, s.handles])) * 60;
    const first = warm[0];
    const last = warm.at(-1);
    figure(
      t,
      `load: ${result.requests.total} requests in ${SECONDS} s (${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms) on /health/live, /health, /metrics, /metrics?format=prometheus: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx; app meanwhile ${appResult.count} requests ${JSON.stringify(appResult.statuses)}`,
    );
    figure(
      t,
      `load: RSS ${(first.rss / MB).toFixed(0)} → ${(last.rss / MB).toFixed(0)} MB (slope ${rssSlope.toFixed(1)} MB/min after 2 s), handles under load ${first.handles} → ${last.handles} (slope ${handleSlope.toFixed(1)}/min), idle before/after ${idleBefore}/${idleAfter}`,
    );
    assert.equal(result.errors, 0);
    assert.equal(result.timeouts, 0);
    assert.equal(result.non2xx, 0);
    assert.ok(result.requests.total > SECONDS * 50, `throughput ${result.requests.total}`);
    assert.deepEqual(Object.keys(appResult.statuses), ['200']);
    assert.ok(last.rss - first.rss < 50 * MB, `RSS grew ${((last.rss - first.rss) / MB).toFixed(1)} MB`);
    assert.ok(idleAfter <= idleBefore + 2, `idle handles ${idleBefore} → ${idleAfter}`);
  } finally {
    await app.stop('SIGKILL');
    await receiver.close();
  }
});
