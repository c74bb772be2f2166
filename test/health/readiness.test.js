// ReadinessChecker against the real PostgreSQL, MariaDB and Redis on this machine, a closed
// port, a blackhole (accepts, never answers), and HTTP dependencies answering 200/500/never.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ReadinessChecker, MetricsCollector } from '../../dist/index.js';
import { blackhole, closedPort, httpTarget, openSockets } from './servers.js';
import { timerLag, waitFor } from '../helpers.js';

const spans = new InMemorySpanExporter();
let hole, web, closed;
before(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  [hole, web, closed] = [await blackhole(), await httpTarget(), await closedPort()];
});
after(async () => {
  await hole.close();
  await web.close();
});

const REAL = {
  pg: 'postgres://postgres@127.0.0.1:5432/postgres',
  pg2: 'postgresql://postgres@127.0.0.1:5432/postgres',
  mariadb: 'mariadb://root@127.0.0.1:3306/',
  mysql: 'mysql://root:@127.0.0.1:3306/mysql',
  redis: 'redis://127.0.0.1:6379/0',
};

test('real PostgreSQL, MariaDB and Redis: a real round trip each, ready, telemetry recorded', async () => {
  const r = new ReadinessChecker({ isolated: true });
  for (const [name, dsn] of Object.entries(REAL)) r.addDatabaseDependency(name, dsn, { timeoutMs: 3000 });
  const results = await r.runAllChecks();
  assert.match(results.pg.message, /PostgreSQL SELECT 1 OK/);
  assert.match(results.pg2.message, /PostgreSQL SELECT 1 OK/);
  assert.match(results.mariadb.message, /MySQL ping OK/);
  assert.match(results.mysql.message, /MySQL ping OK/);
  assert.match(results.redis.message, /Redis PING OK/);
  for (const res of Object.values(results)) assert.equal(res.status, 'healthy', `${res.name}: ${res.message}`);
  assert.equal(await r.isReady(), true);
  assert.equal(results.pg.details.driver, 'pg');
  const prom = await new MetricsCollector().exportPrometheus();
  assert.match(prom, /^readiness_status\{dependency="redis"[,}].* 1$/m);
  const names = spans
    .getFinishedSpans()
    .filter((s) => s.name === 'readiness.check')
    .map((s) => s.attributes.dependency);
  for (const n of Object.keys(REAL)) assert.ok(names.includes(n), `span for ${n}`);
  // Our own driver connections are not traced (tracing is suppressed inside a check).
  assert.ok(!spans.getFinishedSpans().some((s) => /^(pg\.|SELECT|ping|PING)/i.test(s.name)), 'no driver spans');
});

test('wrong credentials on the real MariaDB → not ready, message masked', async () => {
  const r = new ReadinessChecker({ isolated: true });
  r.addDatabaseDependency('db', 'mysql://nobody:Wr0ngPassw0rd@127.0.0.1:3306/', { timeoutMs: 3000 });
  const res = await r.runCheck('db');
  assert.equal(res.status, 'unhealthy');
  assert.match(res.message, /Access denied/);
  assert.doesNotMatch(JSON.stringify(res), /Wr0ngPassw0rd/);
  assert.equal(res.details.target, 'mysql://nobody:***@127.0.0.1:3306/');
  assert.equal(await r.isReady(), false);
});

test('closed port: every kind fails fast', async () => {
  const r = new ReadinessChecker({ isolated: true });
  r.addTcpDependency('tcp', '127.0.0.1', closed, { timeoutMs: 3000 });
  r.addHttpDependency('http', `http://127.0.0.1:${closed}/`, { timeoutMs: 3000 });
  r.addDatabaseDependency('pg', `postgres://postgres@127.0.0.1:${closed}/postgres`, { timeoutMs: 3000 });
  r.addDatabaseDependency('mysql', `mysql://root@127.0.0.1:${closed}/`, { timeoutMs: 3000 });
  r.addDatabaseDependency('redis', `redis://127.0.0.1:${closed}`, { timeoutMs: 3000 });
  const t0 = performance.now();
  const results = await r.runAllChecks();
  const ms = performance.now() - t0;
  for (const res of Object.values(results)) {
    assert.equal(res.status, 'unhealthy', res.name);
    assert.match(res.message, /ECONNREFUSED|refused/i, `${res.name}: ${res.message}`);
  }
  assert.ok(ms < 1000, `closed port detected in ${ms.toFixed(0)} ms (timeouts are 3000 ms)`);
});

test('blackhole: database and HTTP checks time out within timeoutMs + 50 ms (plus how late this process ran) and close their sockets', async () => {
  const timeoutMs = 300;
  const r = new ReadinessChecker({ isolated: true });
  r.addDatabaseDependency('pg', `postgres://postgres:pw@127.0.0.1:${hole.port}/postgres`, { timeoutMs });
  r.addDatabaseDependency('mysql', `mysql://root@127.0.0.1:${hole.port}/`, { timeoutMs });
  r.addDatabaseDependency('redis', `redis://127.0.0.1:${hole.port}`, { timeoutMs });
  r.addHttpDependency('http', `http://127.0.0.1:${hole.port}/`, { timeoutMs });
  r.addTcpDependency('tcp', '127.0.0.1', hole.port, { timeoutMs });
  for (const name of ['pg', 'mysql', 'redis', 'http']) {
    const lag = timerLag();
    const t0 = performance.now();
    const res = await r.runCheck(name);
    const ms = performance.now() - t0;
    const late = lag.ms();
    lag.stop();
    assert.equal(res.status, 'unhealthy', name);
    assert.match(res.message, /timed out after 300 ms/, name);
    // Not before the timeout; after it, only as late as this process's timers ran.
    assert.ok(
      ms >= timeoutMs - 1 && ms <= timeoutMs + 50 + late,
      `${name}: answered after ${ms.toFixed(1)} ms (timers ran ${late.toFixed(0)} ms late)`,
    );
  }
  // A TCP dependency only needs the connection: the blackhole accepts, so it is reachable.
  assert.equal((await r.runCheck('tcp')).status, 'healthy');
  await waitFor(() => hole.open() === 0, 2000);
});

test('HTTP dependency: 200 ready, 500 not ready, expectedStatus, hanging server times out', async () => {
  const r = new ReadinessChecker({ isolated: true });
  r.addHttpDependency('ok', `${web.url}/ok`);
  r.addHttpDependency('fail', `${web.url}/fail`, { timeoutMs: 2000 });
  r.addHttpDependency('fail-expected', `${web.url}/fail`, { expectedStatus: 500 });
  r.addHttpDependency('hang', `${web.url}/hang`, { timeoutMs: 200 });
  const lag = timerLag();
  const res = await r.runAllChecks();
  const late = lag.ms();
  lag.stop();
  assert.equal(res.ok.status, 'healthy');
  assert.equal(res.fail.status, 'unhealthy');
  assert.match(res.fail.message, /answered 500, expected 2xx/);
  assert.equal(res['fail-expected'].status, 'healthy');
  assert.equal(res.hang.status, 'unhealthy');
  assert.match(res.hang.message, /timed out after 200 ms/);
  assert.ok(res.hang.durationMs < 250 + late, `hang answered after ${res.hang.durationMs} ms (timers ran ${late.toFixed(0)} ms late)`);
  assert.equal(await r.isReady(), false);
  r.removeCheck('fail');
  r.removeCheck('hang');
  assert.equal(await r.isReady(), true);
});

test('no leaked sockets or pools: open sockets return to the baseline after 5 rounds of real checks', async () => {
  const r = new ReadinessChecker({ isolated: true });
  for (const [name, dsn] of Object.entries(REAL)) r.addDatabaseDependency(name, dsn, { timeoutMs: 3000 });
  r.addHttpDependency('http', `${web.url}/ok`);
  r.addTcpDependency('tcp', '127.0.0.1', 5432);
  r.addDatabaseDependency('hole', `postgres://postgres@127.0.0.1:${hole.port}/x`, { timeoutMs: 100 });
  const baseline = openSockets();
  for (let i = 0; i < 5; i++) await r.runAllChecks();
  await waitFor(() => openSockets() <= baseline, 3000);
  assert.ok(openSockets() <= baseline, `sockets: ${openSockets()} vs baseline ${baseline}`);
  await waitFor(() => hole.open() === 0, 2000);
});

test('bad arguments: invalid DSN and unsupported scheme register a failing dependency without printing the DSN', async () => {
  const r = new ReadinessChecker({ isolated: true });
  r.addDatabaseDependency('mongo', 'mongodb://u:Canary9876@h/db');
  r.addDatabaseDependency('junk', 'not a url Canary9876');
  const res = await r.runAllChecks();
  assert.match(res.mongo.message, /unsupported scheme/);
  assert.match(res.junk.message, /not a valid URL/);
  assert.doesNotMatch(JSON.stringify(res), /Canary9876/);
  assert.equal(await r.isReady(), false);
});
