// An app's own `new HealthEndpoints().start()` inside an app under register shares register's
// server (no "port in use"), and instanceof holds across the register bundle and the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor } from '../helpers.js';

test('HealthEndpoints.start() under register attaches to the running server', async () => {
  const mp = await freePort();
  const app = startApp('test/fixtures/app-endpoints.mjs', { env: { MONITORING_PORT: String(mp) } });
  try {
    const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.startsWith('{"url"')));
    const out = JSON.parse(line);
    assert.equal(out.url, `http://127.0.0.1:${mp}`);
    assert.equal(out.listening, true);
    assert.deepEqual(
      Object.values(out.checks),
      Object.values(out.checks).map(() => true),
      JSON.stringify(out.checks),
    );
    const info = await fetch(`http://127.0.0.1:${mp}/info`);
    assert.equal(info.status, 200);
    assert.deepEqual(await info.json(), { application: 'app', version: '1.0.0' });
    assert.equal((await fetch(`http://127.0.0.1:${mp}/health/live`)).status, 200);
  } finally {
    await app.stop();
  }
  assert.doesNotMatch(app.out.stderr, /in use|Error/);
});
