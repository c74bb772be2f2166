// Libraries whose server this machine lacks (MongoDB, Kafka, Cassandra, SQL Server, Oracle), from
// a CommonJS and an ES module app under --import ./register: each instrumentation activates when
// its library loads (/status, with the library's version) and records the failing operation
// against a closed local port (mongodb: against mongo-stub.cjs, which closes on the command) as
// an error span, child of the incoming HTTP request's span, at an OTLP receiver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, freePort } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { KIND, assertDescends, ofScope, serverSpan, startInstrumentedApp } from './harness.js';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(() => receiver?.close());

const ERROR = 2;
const version = (pkg) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;

/** scenario → [scope, span name, kind, attributes, the error it failed with, library] */
const CASES = {
  mongodb: [
    'mongodb',
    'find orders',
    KIND.CLIENT,
    { 'db.system.name': 'mongodb', 'db.collection.name': 'orders', 'db.namespace': 'shop' },
    /closed/,
    'mongodb',
  ],
  mongoose: [
    'mongoose',
    'findOne orders',
    KIND.CLIENT,
    { 'db.system.name': 'mongodb', 'db.operation.name': 'findOne' },
    /buffering timed out/,
    'mongoose',
  ],
  kafkajs: [
    'kafkajs',
    'send orders',
    KIND.PRODUCER,
    { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
    /disconnected/,
    'kafkajs',
  ],
  'cassandra-driver': [
    'cassandra-driver',
    'cassandra-driver.execute',
    KIND.CLIENT,
    { 'db.system.name': 'cassandra' },
    /ECONNREFUSED/,
    'cassandra-driver',
  ],
  tedious: [
    'tedious',
    'execSql shop',
    KIND.CLIENT,
    { 'db.system.name': 'microsoft.sql_server', 'db.query.text': 'SELECT 1' },
    /LoggedIn state/,
    'tedious',
  ],
  oracledb: ['oracledb', 'oracledb.getConnection', KIND.CLIENT, { 'db.system.name': 'oracle.db' }, /NJS-503/, 'oracledb'],
};

for (const file of ['offline.cjs', 'offline.mjs']) {
  test(`${file}: ${Object.keys(CASES).join(', ')}`, async (t) => {
    const monitoringPort = await freePort();
    const app = await startInstrumentedApp(receiver, `test/instrumentations/fixtures/${file}`, {
      CLOSED_PORT: String(await freePort()),
      MONITORING_PORT: String(monitoringPort),
    });
    t.after(() => app.stop());
    for (const [name, [scope, spanName, kind, attributes, failure, library]] of Object.entries(CASES)) {
      await t.test(name, async () => {
        const { traceId, result } = await app.run(name);
        assert.match(result, failure);
        const spans = await app.trace(
          traceId,
          (s) => s.some((x) => x.kind === KIND.SERVER) && ofScope(s, scope).some((x) => x.name === spanName),
        );
        const span = ofScope(spans, scope).find((x) => x.name === spanName);
        assert.equal(span.kind, kind);
        assert.equal(span.status, ERROR, 'the span records the failure');
        for (const [k, v] of Object.entries(attributes)) assert.equal(span.attributes[k], v, `${name} ${k}`);
        assertDescends(spans, span, serverSpan(spans));
        const status = await (await fetch(`http://127.0.0.1:${monitoringPort}/status`)).json();
        const entry = status.instrumentations.find((i) => i.name === name);
        assert.equal(entry.active, true);
        assert.ok(
          entry.libraries.some((l) => l.name === library && l.version === version(library)),
          JSON.stringify(entry),
        );
      });
    }
  });
}
