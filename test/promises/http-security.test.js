// docs/health.md "Security defaults" and docs/status-page.md "Safety", from a client that is
// really not on loopback: a network namespace the test creates (test/promises/netns.js), talking
// to the monitoring server on its default address 0.0.0.0. Also MONITORING_PORT=0, which address
// counts as loopback, and MONITORING_CORS_ORIGINS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApp, waitFor } from '../helpers.js';
import { createNetns } from './netns.js';

const TOKEN = 'promise-token-5d1c';
let ns;
let open; // no token: the default
let locked; // MONITORING_AUTH_TOKEN set

async function startSecurityApp(env) {
  const app = startApp('test/promises/fixtures/security-app.mjs', {
    env: {
      MONITORING_PORT: '0',
      MONITORING_HOST: '',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
  });
  const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.startsWith('{"url"')), 15000);
  const { url, traceId } = JSON.parse(line);
  const port = Number(new URL(url).port);
  return { app, port, traceId, local: `http://127.0.0.1:${port}`, remote: `http://${ns.hostAddress}:${port}` };
}

before(async () => {
  ns = createNetns();
  [open, locked] = await Promise.all([
    startSecurityApp({ MONITORING_CORS_ORIGINS: 'https://a.example, https://b.example' }),
    startSecurityApp({ MONITORING_AUTH_TOKEN: TOKEN, MONITORING_CORS_ORIGINS: '*' }),
  ]);
});
after(async () => {
  await Promise.all([open?.app.stop(), locked?.app.stop()]);
  ns?.close();
});

const get = async (url, headers = {}) => {
  const r = await fetch(url, { headers });
  const text = await r.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: r.status, headers: Object.fromEntries(r.headers), body };
};

/** Each check as an unauthorized client sees it: its status (and duration), nothing else. */
function statusesOnly(checks, where) {
  assert.ok(Object.keys(checks).length > 0, `${where}: checks listed`);
  for (const [name, c] of Object.entries(checks)) {
    assert.deepEqual(
      Object.keys(c).filter((k) => k !== 'duration_ms'),
      ['status'],
      `${where}: ${name} shows ${JSON.stringify(c)}`,
    );
  }
}

const PATHS = [
  '/health',
  '/health/ready',
  '/health/live',
  '/metrics',
  '/status',
  '/api/overview',
  '/api/traces',
  '/api/metrics',
  '/api/latency',
];

test('MONITORING_PORT=0: the server listens on a port the system picked; MONITORING_HOST empty (= unset): on every address, 0.0.0.0', async () => {
  assert.ok(open.port > 0 && open.port !== 9464, `port ${open.port}`);
  assert.notEqual(open.port, locked.port);
  assert.equal((await get(`${open.local}/health/live`)).status, 200);
  const [live] = await ns.requests(open.remote, [{ path: '/health/live' }]);
  assert.equal(live.status, 200, 'reachable from another address');
});

test('no token: a non-loopback client sees statuses only; probes and /metrics stay open', async () => {
  const paths = [...PATHS, `/api/trace?id=${open.traceId}`];
  const remote = Object.fromEntries(
    (
      await ns.requests(
        open.remote,
        paths.map((path) => ({ path })),
      )
    ).map((r, i) => [paths[i], r]),
  );
  const r = (p) => remote[p];

  assert.equal(r('/health').status, 200);
  statusesOnly(r('/health').body.checks, '/health');
  assert.ok(r('/health').body.checks.internal_cache, 'the check is listed');
  assert.equal(r('/health/ready').status, 200);
  statusesOnly(r('/health/ready').body.checks, '/health/ready');
  assert.equal(r('/health/live').status, 200);
  assert.equal(r('/metrics').status, 200);
  assert.ok(Object.keys(r('/metrics').body.counters).length > 0, '/metrics is open');
  assert.deepEqual(Object.keys(r('/status').body).sort(), ['readiness', 'status', 'timestamp'], JSON.stringify(r('/status').body));
  assert.equal(r('/status').status, 200);
  const ov = r('/api/overview').body;
  assert.equal(ov.authorized, false);
  assert.match(ov.howToAuthorize, /MONITORING_AUTH_TOKEN/);
  statusesOnly(ov.health.checks, '/api/overview health');
  statusesOnly(ov.readiness.checks, '/api/overview readiness');
  assert.equal(ov.service, undefined);
  assert.equal(ov.uptimeSeconds, undefined);
  for (const p of ['/api/traces', '/api/metrics', '/api/latency', `/api/trace?id=${open.traceId}`]) {
    assert.deepEqual(Object.keys(r(p).body).sort(), ['authorized', 'howToAuthorize'], `${p}: ${JSON.stringify(r(p).body).slice(0, 200)}`);
    assert.equal(r(p).body.authorized, false);
  }
  const everything = JSON.stringify(remote);
  for (const secret of ['10.1.2.3', 'internal-operation', 'internal log line', String(open.app.child.pid)]) {
    assert.ok(!everything.includes(secret), `"${secret}" reached the non-loopback client`);
  }

  // The same server, from loopback: the details are there (so the test above could fail).
  const health = (await get(`${open.local}/health`)).body;
  assert.equal(health.checks.internal_cache.message, 'cache at 10.1.2.3 warm');
  const status = (await get(`${open.local}/status`)).body;
  assert.equal(status.process.pid, open.app.child.pid);
  assert.ok(status.spans.some((s) => s.name === 'internal-operation'));
  const trace = (await get(`${open.local}/api/trace?id=${open.traceId}`)).body;
  assert.ok(trace.logs.some((l) => l.msg === 'internal log line'));
});

test('every 127.0.0.0/8 address is loopback: a client bound to 127.0.0.2 sees details', async () => {
  const body = await new Promise((resolve, reject) => {
    http
      .get(`${open.local}/health`, { localAddress: '127.0.0.2' }, (res) => {
        let s = '';
        res.on('data', (d) => (s += d));
        res.on('end', () => resolve(JSON.parse(s)));
      })
      .on('error', reject);
  });
  assert.equal(body.checks.internal_cache.message, 'cache at 10.1.2.3 warm');
});

test('MONITORING_AUTH_TOKEN: details only with the bearer token, from any address; 401 on /status without it, loopback included', async () => {
  const bearer = { Authorization: `Bearer ${TOKEN}` };
  const [noToken, wrong, withToken, healthWith, healthWithout, metrics, overview] = await ns.requests(locked.remote, [
    { path: '/status' },
    { path: '/status', headers: { Authorization: 'Bearer not-the-token' } },
    { path: '/status', headers: bearer },
    { path: '/health', headers: bearer },
    { path: '/health' },
    { path: '/metrics' },
    { path: '/api/overview' },
  ]);
  assert.equal(noToken.status, 401);
  assert.equal(noToken.body.status, 401);
  assert.ok(noToken.body.error && noToken.body.message && !('stack' in noToken.body), JSON.stringify(noToken.body));
  assert.match(noToken.headers['www-authenticate'], /^Bearer/);
  assert.equal(wrong.status, 401);
  assert.equal(withToken.status, 200);
  assert.equal(withToken.body.process.pid, locked.app.child.pid);
  assert.equal(healthWith.body.checks.internal_cache.message, 'cache at 10.1.2.3 warm');
  statusesOnly(healthWithout.body.checks, '/health without the token');
  assert.equal(metrics.status, 200, '/metrics needs no token');
  assert.equal(overview.body.authorized, false);
  assert.equal(overview.body.tokenRequired, true);

  // With a token configured, loopback is no longer enough.
  const local = await get(`${locked.local}/status`);
  assert.equal(local.status, 401);
  statusesOnly((await get(`${locked.local}/health`)).body.checks, '/health from loopback without the token');
  assert.equal((await get(`${locked.local}/status`, bearer)).status, 200);
});

test('MONITORING_CORS_ORIGINS: listed origins are echoed, others get no CORS headers; preflight answered; * allows any', async () => {
  const a = await get(`${open.local}/health/live`, { Origin: 'https://a.example' });
  assert.equal(a.headers['access-control-allow-origin'], 'https://a.example');
  assert.equal(a.headers.vary, 'Origin');
  const b = await get(`${open.local}/metrics`, { Origin: 'https://b.example' });
  assert.equal(b.headers['access-control-allow-origin'], 'https://b.example', 'the second entry of the comma list (after a space)');
  const c = await get(`${open.local}/health/live`, { Origin: 'https://c.example' });
  assert.equal(c.status, 200);
  assert.equal(c.headers['access-control-allow-origin'], undefined);

  const pre = await fetch(`${open.local}/status`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://a.example');
  assert.match(pre.headers.get('access-control-allow-methods'), /\bGET\b/);
  assert.match(pre.headers.get('access-control-allow-headers'), /\bAuthorization\b/);
  assert.equal(pre.headers.get('access-control-max-age'), '600');

  const any = await get(`${locked.local}/health/live`, { Origin: 'https://anything.example' });
  assert.equal(any.headers['access-control-allow-origin'], '*');
  // CORS grants a browser nothing the token does not: a cross-origin /status still needs it.
  assert.equal((await get(`${locked.local}/status`, { Origin: 'https://anything.example' })).status, 401);
});
