import http from 'node:http';
// Checks that hang, throw, crawl, flap or return garbage, and dependencies that blackhole:
// the routes still answer within the check timeout + 50 ms (plus how late this process's timers
// ran: a loaded machine delays them without a bug), background runs never overlap,
// and nothing is left behind (timers, sockets) once the checkers and the server stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthChecker, ReadinessChecker, HealthEndpoints } from '@socketcomm/monitoring';
import { blackhole, openSockets } from '../health/servers.js';
import { figure } from './lib.js';
import { timerLag } from '../helpers.js';

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
  let hungRuns = 0;
  health.registerCheck('hung', () => (hungRuns++, new Promise(() => {})), o);
  health.registerCheck(
    'hung_sync_then_async',
    async () => {
      await new Promise(() => {});
    },
    o,
  );
  health.registerCheck(
    'throwing',
    () => {
      throw new Error('boom at /work/secret/path.js');
    },
    o,
  );
  health.registerCheck('rejecting', () => Promise.reject(42), o);
  // Slow but well within the timeout, so that a late timer on a busy machine does not time it out.
  health.registerCheck('slow', () => sleep(TIMEOUT / 3).then(() => true), o);
  health.registerCheck('flapping', () => flap++ % 2 === 0, o);
  health.registerCheck('garbage_number', () => 42, o);
  health.registerCheck('garbage_status', () => ({ status: 'weird', message: { nested: true } }), o);
  health.registerCheck(
    'garbage_circular',
    () => {
      const c = { status: 'healthy' };
      c.self = c;
      c.details = c;
      return c;
    },
    o,
  );
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
  // Timed from the moment the request has a connected socket: opening 40 connections at once on
  // a busy machine queues them, which is not the route's answer time.
  const timed = (path) =>
    new Promise((resolve, reject) => {
      let t0 = performance.now();
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
        .on('socket', (socket) => {
          if (socket.connecting) socket.once('connect', () => (t0 = performance.now()));
          else t0 = performance.now();
        })
        .on('error', reject);
    });
  let holeOpen;
  try {
    // Warm the client first: the test's own first fetch() compiles undici (tens of ms in this
    // process), which is not the route's answer time.
    // One uncounted round first: it loads the pg/ioredis drivers and compiles the routes in
    // this process (in a service, register's background checks have done that long before a
    // probe comes); every round after it is timed.
    await Promise.all([timed('/health'), timed('/health/ready')]);
    times.length = 0;
    flap = 0;
    // Per round of concurrent requests: its slowest answer and how late this process's timers ran
    // meanwhile (the margin a loaded machine needs on top of timeout + 50 ms).
    const rounds = [];
    const round = async (requests, allowed = TIMEOUT + 50) => {
      const lag = timerLag();
      const from = times.length;
      const out = await Promise.all(requests());
      rounds.push({ max: Math.max(...times.slice(from)), late: lag.ms(), allowed });
      lag.stop();
      return out;
    };
    for (let i = 0; i < 4; i++) {
      const [h, r] = await round(() => [timed('/health'), timed('/health/ready')]);
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
    // A probe storm: 40 concurrent requests share the run of a check in flight (the hung check
    // counts its runs). One that reaches the server just after a run timed out starts the next,
    // so an answer may take up to two timeouts from when its connection opened.
    const hungBefore = hungRuns;
    await round(() => Array.from({ length: 20 }, () => Promise.all([timed('/health'), timed('/health/ready')])), 2 * TIMEOUT + 50);
    assert.ok(hungRuns - hungBefore <= 3, `20 concurrent /health requests ran the hung check ${hungRuns - hungBefore} times`);
    const max = Math.max(...times);
    figure(
      t,
      `misbehaving checks: ${times.length} /health and /health/ready answers, slowest ${max.toFixed(0)} ms with check timeout ${TIMEOUT} ms; per round slowest/timers late ${rounds.map((r) => `${r.max.toFixed(0)}/${r.late.toFixed(0)}`).join(' ')} ms`,
    );
    for (const r of rounds)
      assert.ok(
        r.max <= r.allowed + r.late,
        `slowest answer ${r.max.toFixed(0)} ms > ${r.allowed} ms + ${r.late.toFixed(0)} ms of lateness`,
      );
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
  health.registerCheck(
    'slow',
    async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(120);
      running--;
      return true;
    },
    { timeoutMs: 1000 },
  );
  health.registerCheck('hung', () => new Promise(() => {}), { timeoutMs: 150 });
  const t0 = Date.now();
  health.startBackgroundChecks({ intervalMs: 20 });
  await sleep(1200);
  health.stopBackgroundChecks();
  const elapsed = Date.now() - t0;
  await sleep(200);
  assert.equal(maxRunning, 1, 'one run at a time');
  // A run lasts as long as its hung check's 150 ms timeout, then 20 ms pass: no more runs than
  // that allows (a loaded machine only makes them fewer), and more than one.
  assert.ok(runs >= 2 && runs <= Math.floor(elapsed / 170) + 1, `runs: ${runs} in ${elapsed} ms at 170 ms per run`);
  assert.deepEqual(resourceCounts(), before, 'no timer left after stopBackgroundChecks');
});
