// SIGTERM in the middle of traffic: readiness turns 503 first, requests in flight finish,
// every span and log record of the N requests reaches the OTLP receiver, the process exits
// within MONITORING_SHUTDOWN_TIMEOUT_MS; a second SIGTERM exits at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startOtlpReceiver } from '../otlp.js';
import { figure, get, startLoadApp } from './lib.js';

test('SIGTERM under load: 503 first, in-flight requests finish, 0 spans and log records lost, exit within the deadline', async (t) => {
  const receiver = await startOtlpReceiver();
  const app = await startLoadApp({
    WORK_MS: '200',
    OTEL_SERVICE_NAME: 'shutdown-load',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_METRICS_EXPORTER: 'none',
    MONITORING_SHUTDOWN_DELAY_MS: '500',
    MONITORING_SHUTDOWN_TIMEOUT_MS: '5000',
    MONITORING_HEALTH_INTERVAL_MS: '0',
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
  const results = [];
  try {
    // 100 requests a second, each 200 ms of work: ~20 in flight at any moment.
    const t0 = Date.now();
    while (Date.now() - t0 < 1500) {
      results.push(get(agent, `${app.appUrl}/work`));
      await new Promise((r) => setTimeout(r, 10));
    }
    const signalledAt = performance.now();
    app.child.kill('SIGTERM');
    // Readiness is polled from the signal on; it must turn 503 while requests are still in flight.
    let ready;
    let readyMs;
    let inFlightAt503 = 0;
    const pending = new Set(results);
    for (const r of results) r.then(() => pending.delete(r));
    while (performance.now() - signalledAt < 2000) {
      ready = await get(undefined, `${app.monUrl}/health/ready`, { timeoutMs: 1000 });
      if (ready.status === 503) {
        readyMs = performance.now() - signalledAt;
        inFlightAt503 = pending.size;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const done = await Promise.all(results);
    const { code } = await app.exited;
    const exitMs = performance.now() - signalledAt;
    const n = done.length;
    const ok = done.filter((r) => r.status === 200).length;
    const spans = receiver.spans().filter((s) => s.resource['service.name'] === 'shutdown-load' && s.item.name === 'work').length;
    const records = receiver
      .logRecords()
      .filter((l) => l.resource['service.name'] === 'shutdown-load' && l.item.body?.stringValue === 'handled').length;
    figure(
      t,
      `shutdown under load: ${n} requests (~20 in flight at SIGTERM): ${ok} answered 200; readiness 503 after ${readyMs?.toFixed(0)} ms with ${inFlightAt503} requests still in flight; exit ${code} after ${exitMs.toFixed(0)} ms (deadline 5000); received ${spans}/${n} spans, ${records}/${n} log records`,
    );
    assert.equal(ready.status, 503, 'readiness 503 right after SIGTERM');
    assert.ok(readyMs < 500 && inFlightAt503 > 0, 'readiness turned 503 first, before the requests in flight finished');
    assert.equal(ok, n, 'every request in flight finished with 200');
    assert.equal(code, 143);
    assert.ok(exitMs < 5000 + 1000, `exit after ${exitMs.toFixed(0)} ms`);
    assert.equal(spans, n, 'no span lost');
    assert.equal(records, n, 'no log record lost');
  } finally {
    agent.destroy();
    await app.stop('SIGKILL');
    await receiver.close();
  }
});

test('a second SIGTERM exits at once', async (t) => {
  const app = await startLoadApp({
    MONITORING_SHUTDOWN_DELAY_MS: '8000',
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  try {
    app.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(app.child.exitCode, null, 'still draining after the first signal');
    const t0 = performance.now();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    const ms = performance.now() - t0;
    figure(t, `second SIGTERM: exit ${code} after ${ms.toFixed(0)} ms (drain delay was 8000 ms)`);
    assert.equal(code, 143);
    assert.ok(ms < 1000, `exited ${ms.toFixed(0)} ms after the second signal`);
  } finally {
    await app.stop('SIGKILL');
  }
});
