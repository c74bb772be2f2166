// Route contract of the monitoring server: status codes, content types and JSON shapes of
// every route, HEAD, errors (404/405/400/414/500) as JSON without stacks, custom handlers,
// CORS, details-when-authorized, the IETF health+json format, and mounting inside Express.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import express from 'express';
import { HealthChecker, ReadinessChecker, HealthEndpoints } from '../../dist/index.js';
import { timerLag } from '../helpers.js';

const JSON_TYPE = 'application/json; charset=utf-8';
let health, readiness, endpoints, base;
// When the endpoints were made: /health/live's uptime counts from then.
let madeFrom, madeTo;

before(async () => {
  madeFrom = Date.now();
  health = new HealthChecker({ isolated: true, defaultChecks: false });
  health.registerCheck('ok', () => ({ status: 'healthy', message: 'fine', details: { answer: 42 } }));
  readiness = new ReadinessChecker({ isolated: true });
  endpoints = new HealthEndpoints({
    host: '127.0.0.1',
    port: 0,
    healthChecker: health,
    readinessChecker: readiness,
    cors: { origins: ['http://app.example'] },
  });
  endpoints.addCustomHandler('/info', (q) => [200, { application: 'test', echo: q.x ?? null }]);
  endpoints.addCustomHandler('/obj', async () => ({ status: 201, body: { created: true } }));
  endpoints.addCustomHandler('/throws', () => {
    throw new Error('secret internals at /srv/app.js:12');
  });
  endpoints.addCustomHandler('/nonsense', () => 'not a reply');
  endpoints.addCustomHandler('/badstatus', () => [999, {}]);
  await endpoints.start();
  madeTo = Date.now();
  base = endpoints.getUrl();
});
after(() => endpoints.stop());

async function get(path, headers = {}) {
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body, text };
}

function assertError(r, status) {
  assert.equal(r.status, status);
  assert.equal(r.type, JSON_TYPE);
  assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'status']);
  assert.equal(r.body.status, status);
  assert.doesNotMatch(r.text, /\n\s+at |\.js:\d+/, 'no stack trace');
}

test('GET /health: the PySocketCommLib-compatible shape, 200 healthy, details for an authorized (loopback) client', async () => {
  const r = await get('/health');
  assert.equal(r.status, 200);
  assert.equal(r.type, JSON_TYPE);
  assert.deepEqual(Object.keys(r.body), ['status', 'timestamp', 'checks']);
  assert.equal(r.body.status, 'healthy');
  assert.ok(!Number.isNaN(Date.parse(r.body.timestamp)) && r.body.timestamp.endsWith('Z'));
  const c = r.body.checks.ok;
  assert.equal(c.status, 'healthy');
  assert.equal(c.message, 'fine');
  assert.equal(typeof c.duration_ms, 'number');
  assert.ok(!Number.isNaN(Date.parse(c.timestamp)));
  assert.deepEqual(c.details, { answer: 42 });
});

test('GET /health: 503 when a critical check fails, 200 degraded when only a non-critical one does', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  const e = new HealthEndpoints({ host: '127.0.0.1', port: 0, healthChecker: h });
  await e.start();
  try {
    h.registerCheck('optional', () => false, { critical: false });
    let r = await fetch(e.getUrl() + '/health');
    let b = await r.json();
    assert.equal(r.status, 200);
    assert.equal(b.status, 'degraded');
    assert.equal(b.checks.optional.status, 'unhealthy');
    h.registerCheck('db', () => ({ status: 'unhealthy', message: 'down' }));
    r = await fetch(e.getUrl() + '/health');
    b = await r.json();
    assert.equal(r.status, 503);
    assert.equal(b.status, 'unhealthy');
    assert.equal(b.checks.db.message, 'down');
  } finally {
    await e.stop();
  }
});

test('GET /health/live, /health/ready, /metrics, /status, / : status, type and shape', async () => {
  const asked = Date.now();
  const live = await get('/health/live');
  const answered = Date.now();
  assert.equal(live.status, 200);
  assert.equal(live.type, JSON_TYPE);
  assert.equal(live.body.status, 'alive');
  // timestamp: the answer's time (ISO, UTC); uptimeSeconds: seconds since the endpoints were made.
  assert.match(live.body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const at = Date.parse(live.body.timestamp);
  assert.ok(at >= asked && at <= answered, `timestamp ${live.body.timestamp} within the request`);
  const since = at - live.body.uptimeSeconds * 1000;
  assert.ok(since >= madeFrom - 1 && since <= madeTo + 1, `uptime ${live.body.uptimeSeconds} s counts from the endpoints' start`);
  // A later probe is a later answer, not a copy of the first.
  await new Promise((r) => setTimeout(r, 20));
  const again = (await get('/health/live')).body;
  assert.ok(Date.parse(again.timestamp) >= at + 20, `${again.timestamp} after ${live.body.timestamp}`);
  assert.ok(Math.abs(Date.parse(again.timestamp) - again.uptimeSeconds * 1000 - since) <= 1, 'both count from the same start');

  const ready = await get('/health/ready');
  assert.equal(ready.status, 200);
  assert.equal(ready.type, JSON_TYPE);
  assert.deepEqual(Object.keys(ready.body), ['status', 'timestamp', 'checks']);
  assert.equal(ready.body.status, 'ready');

  const metrics = await get('/metrics');
  assert.equal(metrics.status, 200);
  assert.equal(metrics.type, JSON_TYPE);
  assert.ok(typeof metrics.body === 'object' && 'gauges' in metrics.body && 'histograms' in metrics.body);
  const prom = await get('/metrics?format=prometheus');
  assert.equal(prom.status, 200);
  assert.match(prom.type, /^text\/plain/);
  assert.match(prom.text, /^health_check_status\{check="ok"[,}].* 1$/m);
  assert.match(prom.text, /^health_check_duration_seconds_bucket\{check="ok",.*le="[^"]+"\} \d+$/m);

  const status = await get('/status');
  assert.equal(status.status, 200);
  assert.equal(status.type, JSON_TYPE);
  for (const k of ['status', 'timestamp', 'service', 'process', 'runtime', 'health', 'readiness', 'spans']) assert.ok(k in status.body, k);
  assert.equal(status.body.process.pid, process.pid);
  assert.equal(status.body.process.versions.node, process.versions.node);
  assert.equal(typeof status.body.process.uptimeSeconds, 'number');
  assert.equal(typeof status.body.process.memory.rss, 'number');
  assert.equal(status.body.runtime.version, process.version);
  assert.equal(status.body.health.checks.ok.status, 'healthy', 'the last check results');
  assert.ok(Array.isArray(status.body.spans));
  assert.equal((await get('/status?spans=9999')).status, 400);

  const index = await get('/');
  assert.equal(index.status, 200);
  const paths = index.body.routes.map((r) => r.path);
  for (const p of ['/health', '/health/live', '/health/ready', '/metrics', '/status', '/info']) assert.ok(paths.includes(p), p);
});

test('HEAD answers like GET without a body', async () => {
  for (const path of ['/health', '/health/live', '/health/ready', '/metrics', '/status', '/info']) {
    const res = await fetch(base + path, { method: 'HEAD' });
    const get = await fetch(base + path);
    assert.equal(res.status, get.status, path);
    assert.equal(res.headers.get('content-type'), get.headers.get('content-type'), path);
    // /metrics is streamed: neither its GET nor its HEAD announces a length.
    if (path === '/metrics') assert.equal(res.headers.get('content-length'), get.headers.get('content-length'), path);
    else assert.ok(Number(res.headers.get('content-length')) > 0, path);
    assert.equal((await res.arrayBuffer()).byteLength, 0, path);
    await get.arrayBuffer();
  }
});

test('unknown route → 404, wrong method → 405 with Allow, JSON errors', async () => {
  assertError(await get('/nope'), 404);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await fetch(base + '/health', { method, body: method === 'DELETE' ? undefined : 'x'.repeat(1000) });
    const r = { status: res.status, type: res.headers.get('content-type'), text: await res.clone().text(), body: await res.json() };
    assertError(r, 405);
    assert.deepEqual(res.headers.get('allow').split(', ').sort(), ['GET', 'HEAD', 'OPTIONS']);
  }
});

test('malformed percent-encoding → 400; URL over 8 KiB → 414; garbage request → 400 JSON; server goes on', async () => {
  assertError(await get('/health%ZZ'), 400);
  assertError(await get('/health?x=%E0%A4%A'), 400);
  assertError(await get('/health?x=' + 'a'.repeat(8300)), 414);
  const raw = await new Promise((resolve, reject) => {
    const s = net.connect(new URL(base).port, '127.0.0.1', () => s.write('GARBAGE \x01\x02 NOT HTTP\r\n\r\n'));
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 400/);
  assert.match(raw, /"status":400/);
  assert.equal((await get('/health/live')).status, 200, 'still serving');
});

test('custom handlers: [status, body], { status, body }, query; throwing or nonsense → 500 JSON without internals', async () => {
  const info = await get('/info?x=hello%20world');
  assert.equal(info.status, 200);
  assert.equal(info.type, JSON_TYPE);
  assert.deepEqual(info.body, { application: 'test', echo: 'hello world' });
  const obj = await get('/obj');
  assert.equal(obj.status, 201);
  assert.deepEqual(obj.body, { created: true });
  for (const path of ['/throws', '/nonsense', '/badstatus']) {
    const r = await get(path);
    assertError(r, 500);
    assert.doesNotMatch(r.text, /secret internals/);
  }
  assert.equal((await get('/health/live')).status, 200);
});

test('CORS: preflight for an allowed origin; no CORS headers for another origin', async () => {
  const pre = await fetch(base + '/health', {
    method: 'OPTIONS',
    headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.example');
  assert.match(pre.headers.get('access-control-allow-methods'), /GET/);
  assert.match(pre.headers.get('access-control-allow-headers'), /Authorization/);
  const got = await fetch(base + '/health', { headers: { Origin: 'http://app.example' } });
  assert.equal(got.headers.get('access-control-allow-origin'), 'http://app.example');
  await got.arrayBuffer();
  const other = await fetch(base + '/health', { headers: { Origin: 'http://evil.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  await other.arrayBuffer();
});

test('Accept: application/health+json → the IETF draft format', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  h.registerCheck('good', () => true);
  h.registerCheck('slow', () => ({ status: 'degraded', message: 'slow disk' }));
  const e = new HealthEndpoints({ host: '127.0.0.1', port: 0, healthChecker: h });
  await e.start();
  try {
    const res = await fetch(e.getUrl() + '/health', { headers: { Accept: 'application/health+json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/health+json');
    const b = await res.json();
    assert.equal(b.status, 'warn');
    assert.ok(Array.isArray(b.checks.good) && Array.isArray(b.checks.slow));
    assert.equal(b.checks.good[0].status, 'pass');
    assert.equal(b.checks.slow[0].status, 'warn');
    assert.equal(b.checks.slow[0].output, 'slow disk');
    assert.ok(!Number.isNaN(Date.parse(b.checks.good[0].time)));
    assert.equal(typeof b.checks.good[0].observedValue, 'number');
    h.registerCheck('bad', () => false);
    const fail = await fetch(e.getUrl() + '/health/ready', { headers: { Accept: 'application/health+json' } });
    assert.equal(fail.headers.get('content-type'), 'application/health+json');
    assert.equal((await fail.json()).status, 'pass', 'readiness has no dependencies here');
    const f2 = await fetch(e.getUrl() + '/health', { headers: { Accept: 'application/health+json' } });
    assert.equal(f2.status, 503);
    assert.equal((await f2.json()).status, 'fail');
  } finally {
    await e.stop();
  }
});

test('mounted inside an Express app via endpoints.handler', async () => {
  const app = express();
  app.use('/monitoring', endpoints.handler);
  app.get('/hello', (_req, res) => res.send('hi'));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    const h = await fetch(url + '/monitoring/health');
    assert.equal(h.status, 200);
    assert.equal(h.headers.get('content-type'), JSON_TYPE);
    assert.equal((await h.json()).checks.ok.status, 'healthy');
    const m = await fetch(url + '/monitoring/metrics?format=prometheus');
    assert.match(await m.text(), /health_check_status/);
    const unknown = await fetch(url + '/monitoring/not-ours');
    assert.equal(unknown.status, 404, 'unknown paths fall through to Express');
    assert.match(unknown.headers.get('content-type'), /text\/html/, "Express's own 404");
    await unknown.arrayBuffer();
    assert.equal(await (await fetch(url + '/hello')).text(), 'hi');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('details when authorized: with a token, /status needs it; probes and /metrics stay open; /health hides details', async () => {
  const token = 's3cret-token-value';
  const e = new HealthEndpoints({ host: '127.0.0.1', port: 0, authToken: token, healthChecker: health, readinessChecker: readiness });
  await e.start();
  const url = e.getUrl();
  try {
    const denied = await fetch(url + '/status');
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('content-type'), JSON_TYPE);
    assert.match(denied.headers.get('www-authenticate'), /^Bearer/);
    assert.deepEqual(Object.keys(await denied.json()).sort(), ['error', 'message', 'status']);
    const wrong = await fetch(url + '/status', { headers: { Authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    const ok = await fetch(url + '/status', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).process.pid, process.pid);

    for (const p of ['/health/live', '/health/ready', '/metrics']) {
      const r = await fetch(url + p);
      assert.equal(r.status, 200, p);
      await r.arrayBuffer();
    }
    const anon = await (await fetch(url + '/health')).json();
    assert.equal(anon.checks.ok.status, 'healthy');
    assert.equal(anon.checks.ok.details, undefined, 'no details without the token');
    assert.equal(anon.checks.ok.message, undefined, 'status alone');
    const authed = await (await fetch(url + '/health', { headers: { Authorization: `Bearer ${token}` } })).json();
    assert.deepEqual(authed.checks.ok.details, { answer: 42 });
  } finally {
    await e.stop();
  }
});

test('hung and throwing checks: /health answers within the check timeout + 50 ms (plus how late this process ran)', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  h.registerCheck('hangs', () => new Promise(() => {}), { timeoutMs: 300 });
  h.registerCheck('throws', () => {
    throw new Error('kaput');
  });
  h.registerCheck('rejects', async () => {
    throw new Error('nope');
  });
  h.registerCheck('garbage', () => 42);
  const e = new HealthEndpoints({ host: '127.0.0.1', port: 0, healthChecker: h });
  await e.start();
  try {
    for (let i = 0; i < 3; i++) {
      // Client and server share this process: its timers' lateness is the margin a loaded box needs.
      const lag = timerLag();
      const t0 = performance.now();
      const res = await fetch(e.getUrl() + '/health');
      const b = await res.json();
      const ms = performance.now() - t0;
      const late = lag.ms();
      lag.stop();
      assert.ok(ms < 350 + late, `answered in ${ms.toFixed(1)} ms (timers ${late.toFixed(0)} ms late)`);
      assert.equal(res.status, 503);
      assert.match(b.checks.hangs.message, /timed out after 300 ms/);
      assert.match(b.checks.throws.message, /threw: kaput/);
      assert.match(b.checks.rejects.message, /rejected: nope/);
      assert.match(b.checks.garbage.message, /returned number/);
    }
  } finally {
    await e.stop();
  }
});

test('probe storm: with background checks, requests never run checks; without, concurrent requests share one run', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  let runs = 0;
  h.registerCheck('counted', async () => {
    runs++;
    await new Promise((r) => setTimeout(r, 50));
    return true;
  });
  const e = new HealthEndpoints({ host: '127.0.0.1', port: 0, healthChecker: h });
  await e.start();
  try {
    const storm = () => Promise.all(Array.from({ length: 200 }, () => fetch(e.getUrl() + '/health').then((r) => r.json())));
    let bodies = await storm();
    assert.ok(bodies.every((b) => b.status === 'healthy'));
    assert.ok(runs <= 10, `without background checks 200 concurrent probes ran the check ${runs} times`);
    h.startBackgroundChecks({ intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    const before = runs;
    // The storm's cost in this process's CPU time (client and server both run here), which other
    // processes on a loaded box do not inflate the way they inflate wall time.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    bodies = await storm();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    assert.equal(runs, before, 'no check ran during the storm');
    assert.equal(new Set(bodies.map((b) => b.checks.counted.timestamp)).size, 1, 'every answer is the latest background result');
    assert.ok(cpuMs < 2000, `200 probes took ${cpuMs.toFixed(0)} ms of CPU (${ms.toFixed(0)} ms wall)`);
  } finally {
    h.stopBackgroundChecks();
    await e.stop();
  }
});
