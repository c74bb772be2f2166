// One list of credential query parameters (util/redact.ts CREDENTIAL_PARAMS) serves the DSN
// masking of dependency checks and the query redaction of HTTP spans: both checked on what they
// produce, a masked DSN and the spans of a real app under register.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskDsn, scrubberFor } from '../../dist/health/mask.js';
import { CREDENTIAL_PARAMS } from '../../dist/util/redact.js';
import { freePort, startApp, waitFor } from '../helpers.js';
import { attrs, startOtlpReceiver } from '../otlp.js';

test('DSNs: the password and every credential query parameter are masked, the rest stays readable', () => {
  const dsn =
    'postgres://app:s3cret-pw@db.local:5432/orders?sslmode=require&sslpassword=canary1&client_secret=canary2&KEY=canary3&application_name=api';
  const shown = maskDsn(dsn);
  assert.equal(
    shown,
    'postgres://app:***@db.local:5432/orders?sslmode=require&sslpassword=***&client_secret=***&KEY=***&application_name=api',
  );
  const scrub = scrubberFor(dsn);
  // A driver error quoting the decoded secrets on their own is scrubbed too.
  assert.equal(scrub('auth failed for s3cret-pw (canary1, canary2, canary3)'), 'auth failed for *** (***, ***, ***)');
});

test('every credential parameter is hidden in both places: a dependency DSN, and url.* of real HTTP spans (node:http and fetch, server and client)', async () => {
  // Each name in lower and UPPER case, each with its own canary value; one harmless parameter.
  const params = CREDENTIAL_PARAMS.flatMap((n) => [n, n.toUpperCase()]).map((n, i) => [n, `canary${i}x`]);
  const query = `page=3&${params.map(([n, v]) => `${n}=${v}`).join('&')}`;
  const leaked = (text) => params.filter(([, v]) => text.includes(v)).map(([n]) => n);

  const dsn = maskDsn(`postgres://app@127.0.0.1:5432/db?${query}`);
  assert.deepEqual(leaked(dsn), [], dsn);
  assert.match(dsn, /[?&]page=3&/);

  const receiver = await startOtlpReceiver();
  const [port, appPort] = [await freePort(), await freePort()];
  const app = startApp('test/health/fixtures/query-app.mjs', {
    env: {
      APP_PORT: String(appPort),
      MONITORING_PORT: String(port),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('READY'));
    assert.equal(await (await fetch(`http://127.0.0.1:${appPort}/in?${query}`)).text(), 'ok');
    // What leaves the process: the /in server span, fetch's and node:http's client spans, and
    // the two /out server spans they caused.
    const spans = await waitFor(() => {
      const http = receiver
        .spans()
        .map((s) => ({ kind: s.item.kind, scope: s.scope?.name, a: attrs(s.item.attributes) }))
        .filter((s) => s.a['url.full'] !== undefined || s.a['url.query'] !== undefined)
        .map((s) => ({ ...s, path: s.a['url.path'] ?? new URL(s.a['url.full']).pathname }));
      return http.length >= 5 && http;
    });
    assert.deepEqual(spans.map((s) => `${s.kind === 2 ? 'server' : 'client'} ${s.path}`).sort(), [
      'client /out',
      'client /out',
      'server /in',
      'server /out',
      'server /out',
    ]);
    for (const s of spans) {
      const where = `${s.scope} ${s.kind === 2 ? 'server' : 'client'} span of ${s.path}`;
      for (const key of ['url.query', 'url.full']) {
        const text = s.a[key];
        if (text === undefined) continue;
        assert.deepEqual(leaked(text), [], `${where}: ${key}`);
        for (const [n] of params) assert.ok(text.includes(`${n}=REDACTED`), `${where}: ${key} names ${n}`);
        assert.match(text, /(^|[?&])page=3&/, `${where} keeps the harmless parameter`);
      }
    }
  } finally {
    await app.stop();
    await receiver.close();
  }
});
