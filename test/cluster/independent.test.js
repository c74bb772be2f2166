// Two independent apps (no cluster) that collide on one monitoring port: never merged, the
// second warns once and runs on without a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, freePort, waitFor, waitForHttp } from '../helpers.js';

test('two independent processes on one port: the second warns once, no crash, no stack trace, no merge', { timeout: 30000 }, async (t) => {
  const port = await freePort();
  const env = (appPort) => ({
    MONITORING_PORT: String(port),
    MONITORING_HOST: '127.0.0.1',
    APP_PORT: String(appPort),
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  const a = startApp('test/fixtures/plain-server.mjs', { env: env(await freePort()) });
  t.after(() => a.stop('SIGKILL'));
  await waitFor(() => a.out.stdout.includes('ready'));
  await waitForHttp(`http://127.0.0.1:${port}/metrics`);
  const bPort = await freePort();
  const b = startApp('test/fixtures/plain-server.mjs', { env: env(bPort) });
  t.after(() => b.stop('SIGKILL'));
  await waitFor(() => b.out.stdout.includes('ready'));
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(b.child.exitCode, null, 'the second app still runs');
  assert.equal(await (await fetch(`http://127.0.0.1:${bPort}/`)).text(), 'esm', 'and serves its own traffic');
  const warnings = b.out.stderr.split('\n').filter((l) => l.includes('already in use'));
  assert.equal(warnings.length, 1, `one warning: ${b.out.stderr}`);
  assert.match(warnings[0], /MONITORING_PORT/, 'the warning says how to give each its own port');
  assert.doesNotMatch(b.out.stderr, /\n\s+at /, 'no stack trace');
  // The port is the first app's alone: its counter is its own, not a sum over both apps.
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).json();
  assert.equal(body.counters['fixture.esm.loaded'], 1);
  const s = await (await fetch(`http://127.0.0.1:${port}/status`)).json();
  assert.equal(s.process.pid, a.child.pid);
});
