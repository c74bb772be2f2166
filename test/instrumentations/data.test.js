// Database and messaging clients against the real servers on this machine (PostgreSQL, MariaDB,
// Redis, RabbitMQ, and a memcached this test starts), from a CommonJS and an ES module app
// under --import ./register: client spans with their semantic-convention attributes, children
// of the incoming HTTP request's span, as they arrive at an OTLP receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { freePort, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { KIND, assertDescends, ofScope, serverSpan, startInstrumentedApp } from './harness.js';

let receiver;
let memcached;
let memcachedPort;
before(async () => {
  receiver = await startOtlpReceiver();
  memcachedPort = await freePort();
  memcached = spawn('memcached', ['-l', '127.0.0.1', '-p', String(memcachedPort), '-U', '0', '-u', 'root', '-m', '16'], {
    stdio: 'ignore',
  });
  await waitFor(
    () =>
      new Promise((resolve) => {
        const s = net
          .connect(memcachedPort, '127.0.0.1', () => {
            s.end();
            resolve(true);
          })
          .on('error', () => resolve(false));
      }),
    10000,
  );
});
after(async () => {
  memcached?.kill();
  await receiver?.close();
});

const db = (s) => s.attributes['db.system.name'] ?? s.attributes['db.system'];
const query = (s) => s.attributes['db.query.text'] ?? s.attributes['db.statement'];

/** scenario → [scope, check(spans of the scope, all spans)] */
const CASES = {
  pg: [
    'pg',
    (own) => {
      const q = own.find((s) => s.name === 'pg.query:SELECT postgres');
      assert.ok(q && q.kind === KIND.CLIENT, own.map((s) => s.name).join());
      assert.equal(db(q), 'postgresql');
      assert.equal(query(q), 'SELECT $1::int AS n');
      assert.equal(q.attributes['server.port'], 5432);
      assert.ok(own.some((s) => s.name === 'pg.connect'));
      return q;
    },
  ],
  mysql2: [
    'mysql2',
    (own) => {
      const q = own.find((s) => query(s) === 'SELECT 1 + 1 AS n');
      assert.ok(q && q.kind === KIND.CLIENT && q.name === 'SELECT', own.map((s) => s.name).join());
      assert.equal(db(q), 'mysql');
      assert.equal(q.attributes['server.port'], 3306);
      return q;
    },
  ],
  mysql: [
    'mysql',
    (own) => {
      const q = own.find((s) => query(s) === 'SELECT 2 + 2 AS n');
      assert.ok(q && q.kind === KIND.CLIENT && q.name === 'SELECT', own.map((s) => s.name).join());
      assert.equal(db(q), 'mysql');
      return q;
    },
  ],
  'knex-pg': [
    'knex',
    (own, all) => {
      const k = own.find((s) => query(s) === 'select 3 AS n');
      assert.ok(k && k.kind === KIND.CLIENT && k.name === 'select postgres', own.map((s) => s.name).join());
      assert.equal(db(k), 'postgresql');
      // The driver's span runs inside knex's.
      const driver = ofScope(all, 'pg').find((s) => query(s) === 'select 3 AS n');
      assert.equal(driver?.parentSpanId, k.spanId);
      return k;
    },
  ],
  'knex-mysql2': [
    'knex',
    (own, all) => {
      const k = own.find((s) => query(s) === 'select 4 AS n');
      assert.ok(k && k.kind === KIND.CLIENT, own.map((s) => s.name).join());
      assert.equal(k.attributes['db.operation.name'] ?? k.attributes['db.operation'], 'select');
      const driver = ofScope(all, 'mysql2').find((s) => query(s) === 'select 4 AS n');
      assert.equal(driver?.parentSpanId, k.spanId);
      return k;
    },
  ],
  redis: [
    'redis',
    (own) => {
      const set = own.find((s) => s.name === 'redis-SET');
      const get = own.find((s) => s.name === 'redis-GET');
      assert.ok(set && get && get.kind === KIND.CLIENT, own.map((s) => s.name).join());
      assert.equal(db(get), 'redis');
      assert.equal(query(get), 'GET instr:redis');
      assert.equal(query(set), 'SET instr:redis [1 other arguments]', 'values are not recorded');
      return get;
    },
  ],
  ioredis: [
    'ioredis',
    (own) => {
      const get = own.find((s) => s.name === 'get');
      assert.ok(get && get.kind === KIND.CLIENT && own.some((s) => s.name === 'set'), own.map((s) => s.name).join());
      assert.equal(db(get), 'redis');
      assert.equal(query(get), 'get instr:ioredis');
      return get;
    },
  ],
  amqplib: [
    'amqplib',
    (own) => {
      const publish = own.find((s) => s.kind === KIND.PRODUCER);
      const consume = own.find((s) => s.kind === KIND.CONSUMER);
      assert.ok(publish && consume, own.map((s) => `${s.name}/${s.kind}`).join());
      assert.equal(publish.name, 'publish <default>');
      assert.match(consume.name, /^amq\.gen-.* process$/);
      assert.equal(publish.attributes['messaging.system'], 'rabbitmq');
      assert.equal(publish.attributes['messaging.url'], 'amqp://guest:***@127.0.0.1:5672', 'the password is masked');
      // The consumer continues the producer's trace.
      assert.equal(consume.parentSpanId, publish.spanId);
      return publish;
    },
  ],
  memcached: [
    'memcached',
    (own) => {
      const get = own.find((s) => s.name === 'memcached get');
      assert.ok(get && get.kind === KIND.CLIENT && own.some((s) => s.name === 'memcached set'), own.map((s) => s.name).join());
      assert.equal(db(get), 'memcached');
      assert.equal(get.attributes['db.memcached.key'], 'instr:memcached');
      return get;
    },
  ],
};

for (const file of ['data.cjs', 'data.mjs']) {
  test(`${file}: ${Object.keys(CASES).join(', ')}`, async (t) => {
    const app = await startInstrumentedApp(receiver, `test/instrumentations/fixtures/${file}`, { MEMCACHED_PORT: String(memcachedPort) });
    t.after(() => app.stop());
    for (const [name, [scope, check]] of Object.entries(CASES)) {
      await t.test(name, async () => {
        const { traceId } = await app.run(name);
        const spans = await app.trace(traceId, (s) => {
          try {
            return s.some((x) => x.kind === KIND.SERVER) && check(ofScope(s, scope), s);
          } catch {
            return false;
          }
        });
        const own = ofScope(spans, scope);
        const span = check(own, spans);
        assertDescends(spans, span, serverSpan(spans));
      });
    }
    assert.equal(app.app.out.stderr, '', 'nothing on stderr');
  });
}
