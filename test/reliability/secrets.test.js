// A canary secret in DSNs, dependency URLs, sensitive log fields, error messages and the
// Authorization / Cookie headers of instrumented requests: 0 occurrences in any route body,
// stdout/stderr line, exported span, log record or metric. And MONITORING_AUTH_TOKEN:
// /status needs it, the probes stay open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { figure } from './lib.js';

const CANARY = 'Cnry-5ecr3t-Q7x';
const TOKEN = 'tok-reliability-123';

test('canary secret: 0 occurrences in routes, output, spans, log records, metrics; auth token guards /status', async (t) => {
  const receiver = await startOtlpReceiver();
  const [port, appPort] = [await freePort(), await freePort()];
  const app = startApp('test/reliability/fixtures/secret-app.mjs', {
    env: {
      CANARY,
      APP_PORT: String(appPort),
      MONITORING_PORT: String(port),
      MONITORING_AUTH_TOKEN: TOKEN,
      MONITORING_HEALTH_INTERVAL_MS: '500',
      OTEL_SERVICE_NAME: 'secrets',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_LOG_LEVEL: 'debug',
    },
  });
  const bodies = [];
  const base = `http://127.0.0.1:${port}`;
  const auth = { Authorization: `Bearer ${TOKEN}` };
  try {
    await waitFor(() => app.out.stdout.includes('READY'), 20000);
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`http://127.0.0.1:${appPort}/login?password=${CANARY}`, {
        headers: { Authorization: `Bearer ${CANARY}`, Cookie: `session=${CANARY}` },
      });
      assert.equal(await r.text(), 'ok');
    }
    // Auth: /status and details need the token; the probes do not.
    assert.equal((await fetch(`${base}/status`)).status, 401);
    assert.equal((await fetch(`${base}/status`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await fetch(`${base}/status`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${base}/health/live`)).status, 200);
    // Its dependencies are up (PostgreSQL trusts the canary password, Redis has none to check, the
    // API answers): ready, with every credential in their DSNs still hidden below.
    const ready = await fetch(`${base}/health/ready`);
    const readyBody = await ready.json();
    assert.equal(ready.status, 200, JSON.stringify(readyBody));
    assert.deepEqual(
      Object.entries(readyBody.checks)
        .map(([k, c]) => [k, c.status])
        .sort(),
      [
        ['api', 'healthy'],
        ['pg', 'healthy'],
        ['redis', 'healthy'],
      ],
    );
    const open = await (await fetch(`${base}/health`)).json();
    assert.equal(open.checks.custom.message, undefined, 'no check details without the token');
    await waitFor(async () => (await (await fetch(`${base}/health`, { headers: auth })).json()).checks?.custom?.message, 5000);
    for (const path of ['/', '/health', '/health/ready', '/health/live', '/status?spans=500', '/metrics', '/metrics?format=prometheus']) {
      for (const headers of [
        {},
        auth,
        { ...auth, Accept: 'application/health+json' },
        { ...auth, Accept: 'application/openmetrics-text' },
      ]) {
        const res = await fetch(base + path, { headers });
        bodies.push(`${path} ${res.status} ${[...res.headers].join(' ')} ${await res.text()}`);
      }
    }
    await waitFor(
      () =>
        receiver.spans().some((s) => s.item.name === 'connect.db') &&
        receiver.logRecords().some((l) => l.item.body?.stringValue === 'db failed') &&
        receiver.metrics().some((m) => m.item.name === 'secret.requests'),
      15000,
    );
  } finally {
    await app.stop();
  }
  const exported = JSON.stringify(receiver.received, (_k, v) =>
    typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
  );
  await receiver.close();
  const places = { routes: bodies.join('\n'), stdout: app.out.stdout, stderr: app.out.stderr, otlp: exported };
  const count = (s) => s.split(CANARY).length - 1;
  const found = Object.fromEntries(Object.entries(places).map(([k, v]) => [k, count(v)]));
  figure(
    t,
    `secrets: canary occurrences ${JSON.stringify(found)} in ${bodies.length} route bodies, ${app.out.stdout.split('\n').length} stdout lines, ${app.out.stderr.split('\n').length} stderr lines, ${receiver.spans().length} spans, ${receiver.logRecords().length} log records, ${receiver.metrics().length} metrics`,
  );
  // The canary had every chance: the data really went through.
  assert.ok(app.out.stdout.includes('[REDACTED]'), 'sensitive log fields were logged (redacted)');
  assert.ok(receiver.spans().some((s) => s.item.name === 'connect.db'));
  assert.ok(receiver.spans().length > 10);
  assert.ok(exported.includes('password=REDACTED'), 'the incoming request query reached the span, redacted');
  if (process.env.SECRETS_DEBUG)
    for (const [where, text] of Object.entries(places)) {
      const ctx = new Set();
      let i = -1;
      while ((i = text.indexOf(CANARY, i + 1)) >= 0) ctx.add(text.slice(Math.max(0, i - 60), i).replace(/\d+/g, '#'));
      console.log(where, [...ctx]);
    }
  for (const [where, n] of Object.entries(found)) {
    const text = places[where];
    const i = text.indexOf(CANARY);
    assert.equal(n, 0, `${where} contains the canary: …${text.slice(Math.max(0, i - 200), i + 50)}…`);
  }
});
