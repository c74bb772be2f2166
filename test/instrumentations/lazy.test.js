// Instrumentations are paid for only when the app loads their library, from CommonJS and ES
// modules alike; the two env lists warn once about names they do not know; an instrumentation
// that throws while patching leaves the app running unpatched; a library loaded before
// register is named once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, freePort, startApp } from '../helpers.js';

// Runs at start: no module load to wait for (host-metrics: the system metrics).
const AT_START = ['host-metrics', 'http', 'runtime-node', 'undici'];

async function probe(file, env = {}, nodeArgs = []) {
  const app = startApp(file, { env: { MONITORING_PORT: String(await freePort()), ...env }, nodeArgs });
  const { code } = await app.exited;
  assert.equal(code, 0, app.out.stderr);
  const line = app.out.stdout.split('\n').find((l) => l.startsWith('{"loaded"'));
  assert.ok(line, app.out.stdout + app.out.stderr);
  const r = JSON.parse(line);
  const active = r.instrumentations.filter((i) => i.active).map((i) => i.name);
  return { ...r, active, stderr: app.out.stderr, of: (n) => r.instrumentations.find((i) => i.name === n) };
}

for (const file of ['probe.cjs', 'probe.mjs']) {
  test(`${file}: an app that loads none of the libraries has no instrumentation package in its module graph`, async () => {
    const r = await probe(`test/instrumentations/fixtures/${file}`);
    assert.deepEqual(r.loaded, []);
    assert.deepEqual(r.active.sort(), AT_START);
    assert.equal(r.instrumentations.length, 42);
    assert.equal(r.stderr, '');
  });

  test(`${file}: loading pg and koa brings exactly their instrumentations, with the libraries' versions`, async () => {
    const r = await probe(`test/instrumentations/fixtures/${file}`, { LOAD: 'pg,koa' });
    const version = (pkg) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    assert.deepEqual(r.of('pg').libraries, [
      { name: 'pg', version: version('pg') },
      { name: 'pg-pool', version: version('pg-pool') },
    ]);
    assert.deepEqual(r.of('koa').libraries, [{ name: 'koa', version: version('koa') }]);
    // pg requires node:dns and koa node:net at load (their instrumentations are on by default upstream too).
    assert.deepEqual(r.active.filter((n) => !AT_START.includes(n)).sort(), ['dns', 'koa', 'net', 'pg']);
    assert.deepEqual(r.loaded.map((f) => path.basename(f)).sort(), [
      'instrumentation-dns.cjs',
      'instrumentation-koa.cjs',
      'instrumentation-net.cjs',
      'instrumentation-pg.cjs',
    ]);
  });
}

test('unknown names in OTEL_NODE_ENABLED_/DISABLED_INSTRUMENTATIONS: one warning each, listing the valid names', async () => {
  const r = await probe('test/instrumentations/fixtures/probe.cjs', {
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg,nosuch,@opentelemetry/instrumentation-alsonot,fs',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'bogus',
    LOAD: 'pg,fs,koa',
  });
  const lines = r.stderr.split('\n').filter((l) => l.includes('unknown instrumentation'));
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0], /"nosuch", "alsonot" in OTEL_NODE_ENABLED_INSTRUMENTATIONS, ignored; valid names: amqplib, aws-lambda, .*winston/);
  assert.match(lines[1], /"bogus" in OTEL_NODE_DISABLED_INSTRUMENTATIONS/);
  // Only what the list names runs; fs (off by default) runs when named.
  assert.deepEqual(
    r.instrumentations
      .filter((i) => i.enabled)
      .map((i) => i.name)
      .sort(),
    ['fs', 'host-metrics', 'http', 'pg'],
  );
  assert.deepEqual(r.active.sort(), ['fs', 'host-metrics', 'http', 'pg']);
});

test('an instrumentation that throws while patching: one warning naming it, the app runs unpatched', async () => {
  // A "koa" whose export has no prototype: instrumentation-koa's patch throws on it.
  const dir = mkdtempSync(path.join(tmpdir(), 'monitoring-broken-'));
  try {
    mkdirSync(path.join(dir, 'node_modules', 'koa'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'koa', 'package.json'), '{"name":"koa","version":"2.16.0","main":"index.js"}');
    writeFileSync(path.join(dir, 'node_modules', 'koa', 'index.js'), 'module.exports = () => "koa works";\n');
    writeFileSync(path.join(dir, 'app.cjs'), 'const koa = require("koa"); require("koa"); console.log(koa());\n');
    const app = startApp(path.join(dir, 'app.cjs'), { env: { MONITORING_PORT: '0' } });
    const { code } = await app.exited;
    assert.equal(code, 0, app.out.stderr);
    assert.equal(app.out.stdout.trim(), 'koa works');
    const warnings = app.out.stderr.split('\n').filter((l) => l.includes('instrumentation "koa"'));
    assert.equal(warnings.length, 1, app.out.stderr);
    assert.match(warnings[0], /failed to patch koa@2\.16\.0, which runs unpatched: Cannot read properties of undefined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a library loaded before register ran is named once', async () => {
  const r = await probe('test/instrumentations/fixtures/probe.cjs', { LOAD: 'pg' }, ['--require', 'pg']);
  const lines = r.stderr.split('\n').filter((l) => l.includes('before register ran'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /pg, pg-pool were loaded before register ran, so instrumentation "pg" cannot patch them/);
  assert.deepEqual(r.of('pg').loadedTooEarly, ['pg', 'pg-pool']);
});
