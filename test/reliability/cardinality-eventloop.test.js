// One counter fed 1,000,000 distinct attribute values: memory and scrape time stay bounded
// (2000 series, then the overflow series), one warning. And an app that blocks its own event
// loop for 2 s: /health shows it through the event_loop check afterwards, nothing crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsCollector } from '@socketcomm/monitoring';
import { figure, MB, startLoadApp } from './lib.js';
import { waitFor } from '../helpers.js';

test('cardinality explosion: 1,000,000 distinct values on one counter', async (t) => {
  const warnings = [];
  // Without an SDK the warning is a process warning; once one runs (exportPrometheus starts a
  // minimal one) it goes through the diag logger to the console.
  process.on('warning', (w) => warnings.push(w.message));
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => {
    warnings.push(String(chunk));
    return write(chunk, ...rest);
  };
  const metrics = new MetricsCollector();
  metrics.incrementCounter('explosion.total', 1, { user: 'warm' });
  await metrics.exportPrometheus();
  globalThis.gc?.();
  const rss0 = process.memoryUsage.rss();
  const t0 = performance.now();
  for (let i = 0; i < 1_000_000; i++) metrics.incrementCounter('explosion.total', 1, { user: `u${i}` });
  const recordMs = performance.now() - t0;
  const s0 = performance.now();
  const text = await metrics.exportPrometheus();
  const scrapeMs = performance.now() - s0;
  const j0 = performance.now();
  const summary = metrics.getMetricsSummary();
  const summaryMs = performance.now() - j0;
  await new Promise((r) => setImmediate(r));
  const rss = process.memoryUsage.rss();
  const lines = text.split('\n').filter((l) => l.startsWith('explosion_total{'));
  const overflow = lines.find((l) => l.includes('otel_metric_overflow="true"'));
  const growth = (rss - rss0) / MB;
  const overflowWarnings = warnings.filter((w) => /explosion/.test(w));
  figure(
    t,
    `cardinality: 1,000,000 values recorded in ${recordMs.toFixed(0)} ms → ${lines.length} series (overflow ${overflow?.split(' ').at(-1)}); RSS +${growth.toFixed(1)} MB; Prometheus scrape ${scrapeMs.toFixed(0)} ms (${(text.length / 1024).toFixed(0)} KiB), JSON summary ${summaryMs.toFixed(0)} ms; ${overflowWarnings.length} warning`,
  );
  assert.ok(lines.length <= 2001, `${lines.length} series`);
  assert.ok(overflow, 'an overflow series');
  assert.equal(Number(overflow.split(' ').at(-1)) + lines.length - 1, 1_000_001, 'every increment is counted somewhere');
  assert.ok(growth < 100, `RSS grew ${growth.toFixed(1)} MB`);
  assert.ok(scrapeMs < 500, `scrape took ${scrapeMs.toFixed(0)} ms`);
  assert.ok(summaryMs < 500);
  assert.equal(overflowWarnings.length, 1, `one warning: ${JSON.stringify(warnings)}`);
  assert.ok(summary.counters);
});

test('event loop blocked 2 s by the app: /health reports it afterwards, nothing crashes', async (t) => {
  const app = await startLoadApp({
    MONITORING_HEALTH_INTERVAL_MS: '500',
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  try {
    await waitFor(async () => (await (await fetch(`${app.monUrl}/health`)).json()).checks?.event_loop);
    const blocked = await fetch(`${app.appUrl}/block`);
    assert.equal(await blocked.text(), 'blocked');
    const seen = await waitFor(
      async () => {
        const body = await (await fetch(`${app.monUrl}/health`)).json();
        const el = body.checks.event_loop;
        return el.status !== 'healthy' ? { overall: body.status, el } : undefined;
      },
      12000,
      50,
    );
    figure(
      t,
      `event loop blocked 2 s: /health event_loop ${seen.el.status} ("${seen.el.message}", max ${seen.el.details?.maxMs} ms), overall ${seen.overall}`,
    );
    assert.equal(seen.el.status, 'unhealthy');
    assert.ok(seen.el.details.maxMs >= 1900);
    // Liveness stays 200 (the loop answers again), and its body reflects the stall.
    const live = await fetch(`${app.monUrl}/health/live`);
    assert.equal(live.status, 200);
    const liveBody = await live.json();
    assert.equal(liveBody.status, 'alive');
    assert.equal(liveBody.eventLoop.status, 'unhealthy', `/health/live reflects the stall: ${JSON.stringify(liveBody)}`);
    figure(t, `event loop blocked 2 s: /health/live 200 ${JSON.stringify(liveBody)}`);
    // It recovers once the loop runs freely again.
    await waitFor(async () => (await (await fetch(`${app.monUrl}/health`)).json()).checks.event_loop.status === 'healthy', 8000, 100);
    await waitFor(async () => (await (await fetch(`${app.monUrl}/health/live`)).json()).eventLoop.status === 'healthy', 2000, 20);
    assert.equal(app.child.exitCode, null);
    assert.doesNotMatch(app.out.stderr, /Error|UNHANDLED/);
  } finally {
    await app.stop('SIGKILL');
  }
});
