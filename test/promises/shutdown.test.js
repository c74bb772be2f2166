// docs/health.md "Graceful shutdown": SIGINT runs the same sequence as SIGTERM and exits 130;
// MONITORING_SHUTDOWN_TIMEOUT_MS bounds the whole sequence; a second signal exits at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

const FIXTURE = 'test/http/fixtures/shutdown-app.mjs';
let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(async () => {
  await receiver?.close();
});

async function start(env) {
  const port = await freePort();
  const app = startApp(FIXTURE, {
    env: {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      RECORDS: '5',
      ...env,
    },
  });
  await waitFor(() => app.out.stdout.includes('READY'));
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await waitForHttp(`${base}/health/ready`)).status, 200);
  return { app, base };
}

/** Poll readiness until it is 503 (the signal was handled) or `ms` pass. */
const until503 = (base, ms = 3000) => waitFor(async () => (await fetch(`${base}/health/ready`)).status === 503, ms, 20);

test('SIGINT: readiness 503 at once, spans and log records flushed, exit code 130', async () => {
  const { app, base } = await start({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'promise-sigint',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    MONITORING_SHUTDOWN_DELAY_MS: '600',
  });
  try {
    app.child.kill('SIGINT');
    await until503(base);
    assert.equal((await fetch(`${base}/health/live`)).status, 200, 'liveness stays 200 during the drain');
    const { code, signal } = await app.exited;
    assert.equal(code, 130, `exit code 130 after SIGINT (got ${code} ${signal}); stderr: ${app.out.stderr}`);
  } finally {
    await app.stop('SIGKILL');
  }
  const mine = (x) => x.resource['service.name'] === 'promise-sigint';
  assert.equal(receiver.spans().filter((s) => mine(s) && s.item.name === 'shutdown.work').length, 5);
  assert.equal(receiver.logRecords().filter((l) => mine(l) && /^shutdown record \d$/.test(l.item.body?.stringValue ?? '')).length, 5);
  assert.equal(app.out.stderr, '');
});

test('MONITORING_SHUTDOWN_TIMEOUT_MS cuts a sequence that would take 30 s (a 30 s drain delay) at about 1 s', async () => {
  const { app, base } = await start({ MONITORING_SHUTDOWN_DELAY_MS: '30000', MONITORING_SHUTDOWN_TIMEOUT_MS: '1000' });
  try {
    const t0 = performance.now();
    app.child.kill('SIGTERM');
    await until503(base);
    const { code } = await app.exited;
    const ms = performance.now() - t0;
    assert.equal(code, 143);
    // Not before the bound (the drain is still running then), and long before the 30 s delay.
    assert.ok(ms >= 950, `exited after ${ms.toFixed(0)} ms, before the 1000 ms bound`);
    assert.ok(ms < 6000, `exited after ${ms.toFixed(0)} ms: the bound did not cut the 30 s delay`);
  } finally {
    await app.stop('SIGKILL');
  }
});

test('a second signal during the shutdown sequence exits at once (SIGTERM, then SIGINT → 130)', async () => {
  const { app, base } = await start({ MONITORING_SHUTDOWN_DELAY_MS: '30000', MONITORING_SHUTDOWN_TIMEOUT_MS: '60000' });
  try {
    app.child.kill('SIGTERM');
    await until503(base);
    const t0 = performance.now();
    app.child.kill('SIGINT');
    const { code } = await app.exited;
    const ms = performance.now() - t0;
    assert.equal(code, 130, 'the second signal names the exit code');
    assert.ok(ms < 3000, `exited ${ms.toFixed(0)} ms after the second signal`);
  } finally {
    await app.stop('SIGKILL');
  }
});

test('an app that keeps running after the sequence (its own SIGTERM handler) gets no warnings from closed providers', async () => {
  const port = await freePort();
  const app = startApp('test/http/fixtures/own-handler-app.mjs', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('READY'));
    // At once: the sequence (no drain delay) is over before host metrics would start, a second
    // after start, while the app stays up another 1.5 s.
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    assert.equal(code, 7);
    assert.equal(app.out.stderr, '', 'nothing is created on the shut-down providers');
  } finally {
    await app.stop('SIGKILL');
  }
});

test('a script that ends on its own: one final flush of spans, logs and metrics, its exit code kept', async () => {
  const started = Date.now();
  const app = startApp('test/promises/fixtures/exit-script.mjs', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'promise-exit-flush',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      MONITORING_PORT: '0',
    },
  });
  const { code } = await app.exited;
  const took = Date.now() - started;
  assert.equal(code, 3, app.out.stderr);
  // The batch delay (5 s), the export interval (60 s) and the server never held it.
  assert.ok(took < 5000, `exited after ${took} ms`);
  const mine = (x) => x.resource['service.name'] === 'promise-exit-flush';
  assert.equal(receiver.spans().filter((s) => mine(s) && s.item.name === 'script.work').length, 1);
  assert.ok(receiver.logRecords().some((l) => mine(l) && l.item.body?.stringValue === 'script line'));
  assert.ok(receiver.metrics().some((m) => mine(m) && m.item.name === 'script.runs'));
  assert.equal(app.out.stderr, '');
});

test('the final flush of a script is bounded by MONITORING_SHUTDOWN_TIMEOUT_MS when the collector never answers', async () => {
  const net = await import('node:net');
  const held = [];
  const blackhole = net.createServer((socket) => held.push(socket));
  await new Promise((r) => blackhole.listen(0, '127.0.0.1', r));
  try {
    const started = Date.now();
    const app = startApp('test/promises/fixtures/exit-script.mjs', {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${blackhole.address().port}`,
        OTEL_TRACES_EXPORTER: 'otlp',
        MONITORING_PORT: '0',
        MONITORING_SHUTDOWN_TIMEOUT_MS: '1000',
      },
    });
    const { code } = await app.exited;
    const took = Date.now() - started;
    assert.equal(code, 3, app.out.stderr);
    assert.ok(held.length > 0, 'the export reached the collector');
    // Start-up plus the 1 s bound, well under the exporter's own 10 s timeout.
    assert.ok(took < 6000, `exited after ${took} ms`);
  } finally {
    for (const s of held) s.destroy();
    blackhole.close();
  }
});

test('a script whose collector is down exits within 2 s of its end, not after the exporters retried for 10 s', async () => {
  const started = Date.now();
  const app = startApp('test/promises/fixtures/exit-script.mjs', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // nothing listens: refused, retried
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      MONITORING_PORT: '0',
    },
  });
  const { code } = await app.exited;
  const took = Date.now() - started;
  assert.equal(code, 3);
  // Start-up plus the 2 s bound (the exporters' own retries ran about 9 s).
  assert.ok(took < 6000, `exited after ${took} ms`);
  // The lost export is said once, not once per attempt.
  assert.ok(app.out.stderr.split('ECONNREFUSED').length - 1 <= 2, app.out.stderr);
});
