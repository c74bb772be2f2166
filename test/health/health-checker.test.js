// HealthChecker: what a check may return, failures that never crash, overall status rules,
// default checks and their thresholds, background runs (no overlap, never keeping the process
// alive), telemetry (gauge, histogram, span per run), and the driver-less fallback.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HealthChecker, HealthStatus, MetricsCollector } from '../../dist/index.js';
import { captureWarnings, startApp, timerLag } from '../helpers.js';
import { closedPort } from './servers.js';

const spans = new InMemorySpanExporter();
const warnings = captureWarnings();
before(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
});

test('new HealthChecker() is the process default; { isolated: true } is not', () => {
  assert.equal(new HealthChecker(), new HealthChecker());
  assert.notEqual(new HealthChecker({ isolated: true }), new HealthChecker());
  assert.deepEqual(new HealthChecker().listChecks(), ['system_resources', 'memory', 'disk', 'event_loop']);
});

test('check outcomes: result, partial, boolean, sync or async; garbage, throw, reject, timeout → UNHEALTHY', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  h.registerCheck('full', () => ({
    name: 'x',
    status: HealthStatus.HEALTHY,
    message: 'Database connection OK',
    durationMs: 10,
    timestamp: 1,
  }));
  h.registerCheck('partial', async () => ({ status: 'degraded', details: { lag: 3 } }));
  h.registerCheck('yes', () => true);
  h.registerCheck('no', async () => false);
  h.registerCheck('garbage', () => 'ok');
  h.registerCheck('nothing', () => undefined);
  h.registerCheck('badstatus', () => ({ status: 'fine' }));
  h.registerCheck('throws', () => {
    throw new TypeError('bad');
  });
  h.registerCheck('rejects', () => Promise.reject(new Error('gone')));
  h.registerCheck('hangs', () => new Promise(() => {}), { timeoutMs: 100 });
  const lag = timerLag();
  const t0 = performance.now();
  const r = await h.runAllChecks();
  const ms = performance.now() - t0;
  // Margins: + 50 ms, plus however late this process's timers ran meanwhile (a loaded machine).
  const late = lag.ms();
  lag.stop();
  assert.ok(ms < 150 + late, `the hung check delays nothing beyond its timeout (${ms.toFixed(0)} ms, timers ${late.toFixed(0)} ms late)`);
  assert.equal(r.full.status, 'healthy');
  assert.equal(r.full.name, 'full', 'the registered name wins');
  assert.equal(r.full.message, 'Database connection OK');
  assert.ok(
    r.full.durationMs !== 10 && r.full.durationMs < 100 + late && r.full.timestamp > 1e12,
    'duration and timestamp are measured, not copied',
  );
  assert.equal(r.partial.status, 'degraded');
  assert.deepEqual(r.partial.details, { lag: 3 });
  assert.equal(r.yes.status, 'healthy');
  assert.equal(r.no.status, 'unhealthy');
  for (const n of ['garbage', 'nothing', 'badstatus']) {
    assert.equal(r[n].status, 'unhealthy', n);
    assert.match(r[n].message, /^check returned/, n);
  }
  assert.equal(r.throws.message, 'check threw: bad');
  assert.equal(r.rejects.message, 'check rejected: gone');
  assert.equal(r.hangs.message, 'check timed out after 100 ms');
  assert.ok(r.hangs.durationMs >= 99 && r.hangs.durationMs < 150 + late, `hangs took ${r.hangs.durationMs} ms`);
  assert.equal((await h.runCheck('yes')).status, 'healthy');
});

test('overall status: worst critical check; a failing non-critical check makes it DEGRADED', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  h.registerCheck('a', () => true);
  await h.runAllChecks();
  assert.equal(h.getOverallStatus(), 'healthy');
  h.registerCheck('opt', () => false, { critical: false });
  await h.runAllChecks();
  assert.equal(h.getOverallStatus(), 'degraded');
  h.registerCheck('deg', () => ({ status: 'degraded' }));
  await h.runAllChecks();
  assert.equal(h.getOverallStatus(), 'degraded');
  h.registerCheck('crit', () => false);
  await h.runAllChecks();
  assert.equal(h.getOverallStatus(), 'unhealthy');
  h.removeCheck('crit');
  assert.equal(h.getOverallStatus(), 'degraded');
});

test('default checks: each status follows its reading and thresholds, and thresholds turn them DEGRADED then UNHEALTHY', async () => {
  const h = new HealthChecker({ isolated: true });
  let r = await h.runAllChecks();
  // They read this machine, which a busy box makes degraded or worse (load, event-loop delay)
  // without a bug: what is fixed is that each status follows the reading its details report,
  // against the default thresholds (src/health/defaults.ts).
  const over = (v, l) => (v >= l.unhealthy ? 'unhealthy' : v >= l.degraded ? 'degraded' : 'healthy');
  const under = (v, l) => (v <= l.unhealthy ? 'unhealthy' : v <= l.degraded ? 'degraded' : 'healthy');
  const worst = (...s) => (s.includes('unhealthy') ? 'unhealthy' : s.includes('degraded') ? 'degraded' : 'healthy');
  const d = (n) => r[n].details;
  assert.deepEqual(d('system_resources').thresholds, { degraded: 2, unhealthy: 4 });
  assert.equal(
    r.system_resources.status,
    over(d('system_resources').loadPerCore, d('system_resources').thresholds),
    r.system_resources.message,
  );
  assert.equal(
    r.memory.status,
    worst(
      over(d('memory').heapUsedRatio, { degraded: 0.85, unhealthy: 0.95 }),
      over(d('memory').rssRatio, { degraded: 0.8, unhealthy: 0.9 }),
    ),
    r.memory.message,
  );
  assert.equal(r.disk.status, under(d('disk').freeRatio, { degraded: 0.1, unhealthy: 0.05 }), r.disk.message);
  assert.equal(d('event_loop').thresholds.unhealthy, 1000);
  assert.equal(
    r.event_loop.status,
    d('event_loop').maxMs >= 1000 ? 'unhealthy' : over(d('event_loop').p99Ms, d('event_loop').thresholds),
    r.event_loop.message,
  );
  assert.equal(typeof r.disk.details.freeBytes, 'number');
  assert.equal(typeof r.memory.details.heapUsedRatio, 'number');
  h.setThresholds({ heapUsedRatio: { degraded: 0, unhealthy: 2 }, diskFreeRatio: { degraded: 1.01, unhealthy: 1 } });
  r = await h.runAllChecks();
  assert.equal(r.memory.status, 'degraded');
  assert.equal(r.disk.status, 'unhealthy');
  assert.match(r.disk.message, /% free/);
  // Block the loop for 300 ms: p99 event-loop delay crosses a 100 ms threshold.
  h.setThresholds({ eventLoopDelayMs: { degraded: 50, unhealthy: 100 } });
  await h.runCheck('event_loop');
  await new Promise((res) => setTimeout(res, 50));
  const until = Date.now() + 300;
  while (Date.now() < until);
  await new Promise((res) => setTimeout(res, 30));
  const loop = await h.runCheck('event_loop');
  assert.equal(loop.status, 'unhealthy', loop.message);
  assert.ok(loop.details.p99Ms >= 200, `p99 ${loop.details.p99Ms}`);
  h.setThresholds({ loadPerCore: { degraded: -1, unhealthy: 1000 } });
  assert.equal((await h.runCheck('system_resources')).status, 'degraded');
});

test('background checks: never overlap, answer from the latest results, stop cleanly', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  h.registerCheck('slow', async () => {
    runs++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((r) => setTimeout(r, 60));
    running--;
    return true;
  });
  const lag = timerLag();
  const t0 = Date.now();
  h.startBackgroundChecks({ intervalMs: 10 });
  await new Promise((r) => setTimeout(r, 400));
  h.stopBackgroundChecks();
  const elapsed = Date.now() - t0;
  const late = lag.ms();
  lag.stop();
  assert.equal(maxRunning, 1, 'runs never overlap');
  // At most one run per 60 ms check + 10 ms pause (a loaded machine only makes them fewer), and
  // more than one: the runs go on.
  assert.ok(runs >= 2 && runs <= Math.floor(elapsed / 70) + 1, `${runs} runs in ${elapsed} ms with a 60 ms check and a 10 ms pause`);
  const last = h.getLastResults().slow;
  assert.ok(
    Date.now() - last.timestamp < 200 + late,
    `the latest result is from the last run (${Date.now() - last.timestamp} ms old, timers ${late.toFixed(0)} ms late)`,
  );
  await new Promise((r) => setTimeout(r, 150));
  const after = runs;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(runs, after, 'no run after stop');
});

test('a script with background checks running exits on its own (timers unref)', async () => {
  const app = startApp('test/health/fixtures/bg-exit.mjs', { register: false });
  const t = setTimeout(() => app.child.kill('SIGKILL'), 5000);
  const { code, signal } = await app.exited;
  clearTimeout(t);
  assert.equal(signal, null, 'exited by itself');
  assert.equal(code, 0, app.out.stderr);
  assert.match(app.out.stdout, /started/);
});

test('telemetry: health.check.status gauge (1/0.5/0), duration histogram in seconds, one span per run', async () => {
  spans.reset();
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  h.registerCheck('tele_ok', () => true);
  h.registerCheck('tele_deg', () => ({ status: 'degraded', message: 'meh' }));
  h.registerCheck('tele_bad', () => ({ status: 'unhealthy', message: 'down' }));
  await h.runAllChecks();
  await h.runAllChecks();
  const prom = await new MetricsCollector().exportPrometheus();
  assert.match(prom, /^health_check_status\{check="tele_ok"[,}].* 1$/m);
  assert.match(prom, /^health_check_status\{check="tele_deg"[,}].* 0\.5$/m);
  assert.match(prom, /^health_check_status\{check="tele_bad"[,}].* 0$/m);
  assert.match(prom, /^health_check_duration_seconds_count\{check="tele_ok"[,}].* 2$/m);
  const mine = spans.getFinishedSpans().filter((s) => s.name === 'health.check');
  assert.equal(mine.length, 6);
  const bad = mine.find((s) => s.attributes.check === 'tele_bad');
  assert.equal(bad.status.code, 2);
  assert.equal(bad.status.message, 'down');
  assert.equal(bad.attributes['health.check.status'], 'unhealthy');
});

test('invalid arguments warn once each (or throw under MONITORING_STRICT=1) and never register garbage', async () => {
  const h = new HealthChecker({ isolated: true, defaultChecks: false });
  for (let i = 0; i < 2; i++) {
    h.registerCheck('', () => true);
    h.registerCheck('x', 'not a function');
    h.registerCheck('t', () => true, { timeoutMs: -5 });
  }
  assert.deepEqual(h.listChecks(), ['t']);
  const r = await h.runCheck('missing');
  assert.equal(r.status, 'unhealthy');
  await h.runCheck('missing');
  for (const re of [
    /^HealthChecker\.registerCheck: name must be a non-empty string of up to 200 characters, got ""$/,
    /^HealthChecker\.registerCheck\("x"\): fn must be a function, got "not a function"$/,
    /^HealthChecker\.registerCheck\("t"\): timeoutMs must be a positive number of milliseconds, got -5; using 5000$/,
    /^HealthChecker\.runCheck: no check named "missing"$/,
  ]) {
    assert.equal((await warnings.matching(re)).length, 1, String(re));
  }
  process.env.MONITORING_STRICT = '1';
  try {
    assert.throws(() => h.registerCheck(42, () => true), TypeError);
    assert.throws(() => h.startBackgroundChecks({ intervalMs: 'soon' }), TypeError);
  } finally {
    delete process.env.MONITORING_STRICT;
  }
});

test('without the drivers installed, database checks fall back to a TCP connect and say so', async () => {
  const closed = await closedPort();
  const app = startApp('test/health/fixtures/no-drivers-app.mjs', {
    register: false,
    nodeArgs: ['--import', './test/health/fixtures/no-drivers-hook.mjs'],
    env: { CLOSED: String(closed) },
  });
  const { code } = await app.exited;
  assert.equal(code, 0, app.out.stderr);
  const r = JSON.parse(app.out.stdout);
  for (const [name, driver] of [
    ['pg', 'pg'],
    ['mysql', 'mysql2'],
    ['redis', 'ioredis'],
  ]) {
    assert.equal(r[name].status, 'healthy', `${name}: ${r[name].message}`);
    assert.match(r[name].message, new RegExp(`TCP connect to 127\\.0\\.0\\.1:\\d+ OK \\(driver "${driver}" is not installed`));
  }
  assert.equal(r.closed.status, 'unhealthy');
  assert.match(r.closed.message, /ECONNREFUSED.*driver "pg" is not installed/);
});
