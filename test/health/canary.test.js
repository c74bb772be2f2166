// A canary password in every kind of DSN and URL never appears in any route body, any line
// the app prints (diag at debug level included), or any span exported over OTLP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { blackhole, closedPort, httpTarget } from './servers.js';

const CANARY = 'Kanar1eX-7f3q9';
let receiver, hole, web, closed;
before(async () => {
  [receiver, hole, web, closed] = [await startOtlpReceiver(), await blackhole(), await httpTarget(), await closedPort()];
});
after(async () => {
  await receiver.close();
  await hole.close();
  await web.close();
});

test('canary password: absent from every route body, log line and exported span', async () => {
  const port = await freePort();
  const app = startApp('test/health/fixtures/canary-app.mjs', {
    env: {
      CANARY,
      HOLE: String(hole.port),
      CLOSED: String(closed),
      WEB: web.url.replace('http://', ''),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'canary-test',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_LOG_LEVEL: 'debug',
      MONITORING_PORT: String(port),
      MONITORING_HEALTH_INTERVAL_MS: '500',
    },
  });
  const bodies = [];
  let results;
  try {
    await waitFor(() => app.out.stdout.includes('READY'), 20000);
    results = JSON.parse(app.out.stdout.split('\n').find((l) => l.startsWith('{')));
    const base = `http://127.0.0.1:${port}`;
    for (const path of ['/health', '/health/ready', '/status?spans=500', '/metrics', '/metrics?format=prometheus', '/']) {
      for (const accept of ['application/json', 'application/health+json']) {
        const res = await fetch(base + path, { headers: { Accept: accept } });
        bodies.push(`${path} ${res.status} ${[...res.headers].join(' ')} ${await res.text()}`);
      }
    }
    await waitFor(
      () => receiver.spans().filter((s) => s.resource['service.name'] === 'canary-test' && s.item.name === 'readiness.check').length >= 17,
    );
  } finally {
    await app.stop();
  }
  // The checks really ran against the targets (the canary had a chance to leak).
  assert.equal(results.pg.status, 'healthy', results.pg.message);
  assert.equal(results.redis.status, 'healthy', results.redis.message);
  assert.match(results.mariadb.message, /Access denied for user 'canary_user'/);
  assert.match(results.pghole.message, /timed out/);
  assert.match(results.http.message, /GET http:\/\/user:\*\*\*@127\.0\.0\.1:\d+\/fail answered 500/);
  assert.match(results.httptoken.message, /token=\*\*\*/);
  assert.equal(results.pg.details.target, 'postgres://postgres:***@127.0.0.1:5432/postgres');
  assert.ok(
    bodies.some((b) => b.includes('"pghole"')),
    'routes show the dependencies',
  );
  const status = bodies.find((b) => b.startsWith('/status?spans=500 200'));
  assert.match(status, /"spans":\[\{"traceId":"[0-9a-f]{32}"/, '/status shows the recent spans');
  assert.match(status, /"name":"readiness\.check"/);

  const spans = receiver.spans().filter((s) => s.resource['service.name'] === 'canary-test');
  const metrics = receiver.metrics().filter((m) => m.resource['service.name'] === 'canary-test');
  assert.ok(
    spans.some((s) => s.item.name === 'health.check'),
    'health spans exported',
  );
  const where = {
    'route bodies': bodies.join('\n'),
    stdout: app.out.stdout,
    stderr: app.out.stderr,
    'exported spans': JSON.stringify(spans),
    'exported metrics': JSON.stringify(metrics),
  };
  for (const [what, text] of Object.entries(where)) {
    assert.ok(
      !text.includes(CANARY),
      `canary found in ${what}: …${text.slice(Math.max(0, text.indexOf(CANARY) - 200), text.indexOf(CANARY) + 50)}…`,
    );
    assert.ok(!text.includes(encodeURIComponent(CANARY)) || encodeURIComponent(CANARY) === CANARY);
  }
});
