// OTLP push to a real OTLP receiver (@elastic/mockotlpserver) from a CommonJS and an ESM app
// instrumented only by `--import ./register`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitForHttp, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

let receiver;
before(async () => {
  receiver = await startOtlpReceiver();
});
after(async () => {
  await receiver?.close();
});

for (const [kind, file, counter] of [
  ['CommonJS', 'test/fixtures/plain-server.cjs', 'fixture.cjs.loaded'],
  ['ESM', 'test/fixtures/plain-server.mjs', 'fixture.esm.loaded'],
]) {
  test(`${kind} app: http server span and metrics arrive with the right service.name`, async () => {
    const [ap, mp] = [await freePort(), await freePort()];
    const service = `otlp-${kind.toLowerCase()}`;
    const app = startApp(file, {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: service,
        OTEL_METRIC_EXPORT_INTERVAL: '500',
        APP_PORT: String(ap),
        MONITORING_PORT: String(mp),
      },
    });
    try {
      await waitForHttp(`http://127.0.0.1:${ap}/`);
      const res = await fetch(`http://127.0.0.1:${ap}/hello`);
      assert.equal(await res.text(), kind === 'ESM' ? 'esm' : 'cjs');
      const span = await waitFor(() =>
        receiver.spans().find((s) => s.resource['service.name'] === service && s.item.kind === 2 /* SERVER */),
      );
      assert.equal(span.scope, '@opentelemetry/instrumentation-http');
      const metric = await waitFor(() => receiver.metrics().find((m) => m.resource['service.name'] === service && m.item.name === counter));
      assert.equal(metric.item.sum.dataPoints[0].asDouble, 1);
      assert.ok(
        receiver.metrics().some((m) => m.resource['service.name'] === service && m.item.name === 'http.server.request.duration'),
        'http server duration metric exported',
      );
      // The monitoring server's own routes are not traced.
      await fetch(`http://127.0.0.1:${mp}/metrics`);
    } finally {
      await app.stop();
    }
    const own = receiver.spans().filter((s) => s.resource['service.name'] === service);
    assert.ok(
      own.every((s) => !JSON.stringify(s.item.attributes).includes(`:${mp}`)),
      'no span for the monitoring port',
    );
    assert.equal(app.out.stderr, '', 'nothing on stderr');
  });
}

test('no OTLP endpoint: nothing is pushed and nothing is printed on stderr', async () => {
  const [ap, mp] = [await freePort(), await freePort()];
  const before = receiver.received.traces.length + receiver.received.metrics.length;
  const app = startApp('test/fixtures/plain-server.mjs', {
    env: { APP_PORT: String(ap), MONITORING_PORT: String(mp), OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_METRIC_EXPORT_INTERVAL: '200' },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${ap}/`);
    await new Promise((r) => setTimeout(r, 800));
    const metrics = await (await fetch(`http://127.0.0.1:${mp}/metrics`)).json();
    assert.equal(metrics.counters['fixture.esm.loaded'], 1);
  } finally {
    await app.stop();
  }
  assert.equal(receiver.received.traces.length + receiver.received.metrics.length, before);
  assert.equal(app.out.stderr, '');
});
