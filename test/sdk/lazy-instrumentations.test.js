import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

test('CommonJS app: Express and pino instrumented on their first require()', async () => {
  const [ap, mp] = [await freePort(), await freePort()];
  const app = startApp('test/fixtures/express-pino.cjs', { env: { APP_PORT: String(ap), MONITORING_PORT: String(mp) } });
  try {
    await waitForHttp(`http://127.0.0.1:${mp}/health/live`);
    await waitFor(() => app.out.stdout.includes('ready'));
    assert.deepEqual(await (await fetch(`http://127.0.0.1:${ap}/users/7`)).json(), { id: '7' });
    const spans = await waitFor(async () => {
      const s = (await (await fetch(`http://127.0.0.1:${mp}/status`)).json()).spans;
      return s.some((x) => x.scope === '@opentelemetry/instrumentation-express') && s;
    });
    const handler = spans.find((s) => s.name === 'request handler - /users/:id');
    const server = spans.find((s) => s.name === 'GET /users/:id');
    assert.ok(handler && server, 'express handler span and http server span with the route');
    assert.equal(handler.traceId, server.traceId);
    const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.includes('in route')));
    assert.equal(JSON.parse(line).trace_id, server.traceId, "the app's own pino line carries the request's trace id");
  } finally {
    await app.stop();
  }
});
