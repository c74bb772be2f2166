import http from 'node:http';
// Checks that hang, throw, crawl, flap or return garbage, and dependencies that blackhole:
// the routes still answer within the check timeout + 50 ms, background runs never overlap,
// and nothing is left behind (timers, sockets) once the checkers and the server stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthChecker, ReadinessChecker, HealthEndpoints } from '@socketcomm/monitoring';
import { blackhole, openSockets } from '../health/servers.js';
import { figure } from './lib.js';

const TIMEOUT = 300;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Ref'd resources by type (unref'd timers are not listed; CloseReq is a transient close). */
function resourceCounts() {
  const out = {};
  for (const r of process.getActiveResourcesInfo()) if (r !== 'CloseReq') out[r] = (out[r] ?? 0) + 1;
  return out;
}

test('misbehaving checks and blackholed dependencies: routes answer within timeout + 50 ms, no leaks', async (t) => {
  const before = resourceCounts();
  const hole = await blackhole();
  const health = new HealthChecker({ isolated: true, defaultChecks: false });
  const readiness = new ReadinessChecker({ isolated: true });
  let flap = 0;
  const o = { timeoutMs: TIMEOUT };
  health.registerCheck('hung', () => new Promise(() => {}), o);
  health.registerCheck('hung_sync_then_async', async () => { await new Promise(() => {}); }, o);
  health.registerCheck('throwing', () => { throw new Error('boom at /work/secret/path.js'); }, o);
  health.registerCheck('rejecting', () => Promise.reject(42), o);
  health.registerCheck('slow', () => sleep(TIMEOUT - 100).then(() => true), o);
  health.registerCheck('flapping', () => (flap++ % 2 === 0), o);
  health.registerCheck('garbage_number', () => 42, o);
  health.registerCheck('garbage_status', () => ({ status: 'weird', message: { nested: true } }), o);
  health.registerCheck('garbage_circular', () => { const c = { status: 'healthy' }; c.self = c; c.details = c; return c; }, o);
  health.registerCheck('garbage_symbol', () => Symbol('x'), o);
  health.registerCheck('thenable', () => ({ then() {} }), o);
  readiness.addTcpDependency('tcp_hole', '127.0.0.1', hole.port, o);
  readiness.addHttpDependency('http_hole', `http://127.0.0.1:${hole.port}/health`, o);
  readiness.addDatabaseDependency('pg_hole', `postgres://u:p@127.0.0.1:${hole.port}/db`, o);
  readiness.addDatabaseDependency('redis_hole', `redis://127.0.0.1:${hole.port}`, o);

  const endpoints = new HealthEndpoints({ host: '127.0.0.1', port: 0, healthChecker: health, readinessChecker: readiness });
  await endpoints.start();
  const base = endpoints.getUrl();
  const times = [];
  // node:http with a keep-alive agent, not fetch(): the client shares this process's event loop
  // with the server, and undici's first-use compilation and per-response work would be counted
  // as the route's time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const timed = (path) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      http
        .get(base + path, { agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            times.push(performance.now() - t0);
            resolve({ res: { status: res.statusCode }, body: JSON.parse(text) });
          });
        })
        .on('error', reject);
    });
  let holeOpen = -1;
  try {
    // Warm the client first: the test's own first fetch() compiles undici (tens of ms in this
    // process), which is not the route's answer time.
    // One uncounted round first: it loads the pg/ioredis drivers and compiles the routes in
    // this process (in a service, register's background checks have done that long before a
    // probe comes); every round after it is timed.
    await Promise.all([timed('/health'), timed('/health/ready')]);
    times.length = 0;
    flap = 0;
    for (let i = 0; i < 4; i++) {
      const [h, r] = await Promise.all([timed('/health'), timed('/health/ready')]);
      assert.equal(h.res.status, 503);
      assert.equal(r.res.status, 503);
      assert.equal(h.body.checks.hung.status, 'unhealthy');
      assert.match(h.body.checks.hung.message, /timed out after 300 ms/);
      assert.equal(h.body.checks.slow.status, 'healthy');
      assert.equal(h.body.checks.garbage_circular.status, 'healthy');
      assert.equal(h.body.checks.flapping.status, i % 2 === 0 ? 'healthy' : 'unhealthy');
      for (const c of ['throwing', 'rejecting', 'garbage_number', 'garbage_status', 'garbage_symbol', 'thenable']) {
        assert.equal(h.body.checks[c].status, 'unhealthy', c);
      }
      // A TCP dependency only needs the connection accepted, which a blackhole does.
      assert.equal(r.body.checks.tcp_hole.status, 'healthy');
      for (const d of ['http_hole', 'pg_hole', 'redis_hole']) assert.equal(r.body.checks[d].status, 'unhealthy', d);
    }
    // A probe storm: 40 concurrent requests share one run per check.
    await Promise.all(Array.from({ length: 20 }, () => Promise.all([timed('/health'), timed('/health/ready')])));
    const max = Math.max(...times);
    figure(t, `misbehaving checks: ${times.length} /health and /health/ready answers, slowest ${max.toFixed(0)} ms with check timeout ${TIMEOUT} ms`);
    assert.ok(max <= TIMEOUT + 50, `slowest answer ${max.toFixed(0)} ms > ${TIMEOUT + 50} ms`);
  } finally {
    agent.destroy();
    await endpoints.stop();
    await sleep(200);
    // Closed on every path: a failed assertion above must not leave the blackhole holding
    // the test process open (node --test would wait for it forever).
    holeOpen = hole.open();
    await hole.close();
  }
  assert.equal(openSockets(), 0, 'no client socket left open');
  assert.equal(holeOpen, 0, 'the blackhole holds no connection of ours');
  await sleep(50);
  const after = resourceCounts();
  figure(t, `resources before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assert.deepEqual(after, before, 'no timer, socket or server left behind');
});

test('background checks never overlap, even when a run takes longer than the interval', async () => {
  const before = resourceCounts();
  const health = new HealthChecker({ isolated: true, defaultChecks: false });
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  health.registerCheck('slow', async () => {
    running++;
    runs++;
    maxRunning = Math.max(maxRunning, running);
    await sleep(120);
    running--;
    return true;
  }, { timeoutMs: 1000 });
  health.registerCheck('hung', () => new Promise(() => {}), { timeoutMs: 150 });
  health.startBackgroundChecks({ intervalMs: 20 });
  await sleep(1200);
  health.stopBackgroundChecks();
  await sleep(200);
  assert.equal(maxRunning, 1, 'one run at a time');
  assert.ok(runs >= 4 && runs <= 9, `runs: ${runs} in 1.2 s at 150 ms per run`);
  assert.deepEqual(resourceCounts(), before, 'no timer left after stopBackgroundChecks');
});
