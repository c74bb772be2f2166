// Graceful shutdown under `--import ./register` with a real OTLP receiver: on SIGTERM readiness
// turns 503 at once (liveness stays 200), the drain delay keeps the server answering, and
// every span and log record recorded before the signal reaches the receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(async () => {
  await receiver?.close();
});

test('SIGTERM: /health/ready 503 before exit, liveness 200, all 1,000 spans and log records arrive', async () => {
  const DELAY = 2000;
  const port = await freePort();
  const app = startApp('test/http/fixtures/shutdown-app.mjs', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'shutdown-test',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'none',
      MONITORING_PORT: String(port),
      MONITORING_SHUTDOWN_DELAY_MS: String(DELAY),
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('READY'));
    const base = `http://127.0.0.1:${port}`;
    assert.equal((await waitForHttp(`${base}/health/ready`)).status, 200);
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    // Poll until the process exits; record what readiness and liveness said meanwhile.
    const seen = [];
    let exited = false;
    app.exited.then(() => (exited = true));
    while (!exited && Date.now() - signalledAt < DELAY + 8000) {
      try {
        const [ready, live] = await Promise.all([fetch(`${base}/health/ready`), fetch(`${base}/health/live`)]);
        seen.push({ t: Date.now() - signalledAt, ready: ready.status, live: live.status, body: await ready.json() });
        await live.arrayBuffer();
      } catch {
        // the server closed: expected at the end of the sequence
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const { code, signal } = await app.exited;
    assert.equal(code, 143, `exit code 143 after SIGTERM (got ${code} ${signal}); stderr: ${app.out.stderr}`);
    const during = seen.filter((s) => s.ready === 503);
    assert.ok(during.length > 0, `readiness turned 503 before exit: ${JSON.stringify(seen.slice(0, 3))}`);
    assert.equal(during[0].body.status, 'not_ready');
    assert.match(during[0].body.message, /shutting down/);
    assert.ok(
      seen.every((s) => s.live === 200),
      'liveness stays 200 while shutting down',
    );
    // "At once" counted in polls, not milliseconds (a loaded machine delays both processes): a
    // poll sent as kill() returns can be answered before the child's loop has run the signal
    // handler (signals reach JS through the event loop), but the next poll goes out only after
    // that answer, when the handler has run. One more poll of margin. From the first 503 on,
    // readiness must never say ready again.
    const first503 = seen.indexOf(during[0]);
    assert.ok(first503 <= 2, `ready only before the signal was handled: ${JSON.stringify(seen.slice(0, first503 + 1))}`);
    assert.ok(
      seen.slice(first503).every((s) => s.ready === 503),
      'never ready again after the signal',
    );
    // The drain delay: the server kept answering, 503, through most of MONITORING_SHUTDOWN_DELAY_MS
    // (readiness turned first, the delay came after it).
    assert.ok(seen.at(-1).t >= DELAY * 0.8, `server answered during the drain delay (last answer at ${seen.at(-1).t} ms)`);
    assert.ok(seen.at(-1).t - during[0].t >= DELAY / 2, `503 from ${during[0].t} to ${seen.at(-1).t} ms of a ${DELAY} ms drain`);
  } finally {
    await app.stop('SIGKILL');
  }
  const spans = receiver.spans().filter((s) => s.resource['service.name'] === 'shutdown-test' && s.item.name === 'shutdown.work');
  const records = receiver
    .logRecords()
    .filter((l) => l.resource['service.name'] === 'shutdown-test' && /^shutdown record \d+$/.test(l.item.body?.stringValue ?? ''));
  assert.equal(spans.length, 1000, 'all 1,000 spans arrived');
  assert.equal(records.length, 1000, 'all 1,000 log records arrived');
  assert.equal(new Set(records.map((l) => l.item.body.stringValue)).size, 1000, 'no duplicates');
});

test('an app with its own SIGTERM handler keeps control: readiness turns 503, the app decides when to exit', async () => {
  const port = await freePort();
  const app = startApp('test/http/fixtures/own-handler-app.mjs', {
    // The drain delay keeps the server answering while the test asks; the app exits after it.
    env: {
      MONITORING_PORT: String(port),
      MONITORING_SHUTDOWN_DELAY_MS: '2000',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('READY'));
    const base = `http://127.0.0.1:${port}`;
    assert.equal((await waitForHttp(`${base}/health/ready`)).status, 200);
    app.child.kill('SIGTERM');
    await waitFor(() => app.out.stdout.includes('APP-SIGTERM'), 3000);
    // Monitoring's listener (installed by register, before the app's) ran first: not ready.
    const ready = await fetch(`${base}/health/ready`);
    assert.equal(ready.status, 503);
    assert.match((await ready.json()).message, /shutting down/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(app.child.exitCode, null, 'monitoring did not exit for the app');
    const { code } = await app.exited;
    assert.equal(code, 7, 'the app exited itself, with its own code');
    assert.match(app.out.stdout, /APP-EXIT/);
  } finally {
    await app.stop('SIGKILL');
  }
});

test('await shutdown() from code: readiness 503 during the drain delay, liveness 200', async () => {
  const port = await freePort();
  const app = startApp('test/http/fixtures/programmatic-shutdown.mjs', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_SHUTDOWN_DELAY_MS: '1500',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('SHUTTING'));
    const base = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${base}/health/ready`);
    assert.equal(ready.status, 503);
    assert.match((await ready.json()).message, /shutting down/);
    assert.equal((await fetch(`${base}/health/live`)).status, 200);
    const { code } = await app.exited;
    assert.equal(code, 0);
    assert.match(app.out.stdout, /DONE/);
  } finally {
    await app.stop('SIGKILL');
  }
});
