// examples/otel-config.yaml with examples/app.js, as docs/configuration.md runs it: valid, its
// view applied on /metrics (promtool), its OTLP metrics at mockotlpserver under the service
// name substituted from the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { startExample, waitForLog } from '../examples/example-helpers.js';

test('examples/otel-config.yaml: validates, and examples/app.js runs with it (view, OTLP, substitution)', async () => {
  const v = spawnSync(process.execPath, ['dist/cjs/config/cli.js', 'config', 'validate', 'examples/otel-config.yaml'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stderr, '');
  const receiver = await startOtlpReceiver();
  const app = await startExample('app.js', {
    env: { OTEL_CONFIG_FILE: path.join(ROOT, 'examples/otel-config.yaml'), OTLP_ENDPOINT: receiver.url, SERVICE_NAME: 'example-from-test' },
  });
  try {
    const { url } = await waitForLog(app, 'app listening');
    for (let i = 0; i < 3; i++) await fetch(`${url}/`);
    const text = await (await fetch(`${app.monitoringUrl}/metrics?format=prometheus`)).text();
    const buckets = [...text.matchAll(/^app_request_duration_seconds_bucket\{([^}]*)\} /gm)].map((m) => m[1]);
    assert.deepEqual(
      buckets.map((labels) => /le="([^"]+)"/.exec(labels)[1]),
      ['0.001', '0.01', '0.1', '1', '+Inf'],
    );
    assert.ok(
      buckets.every((labels) => !labels.includes('route=')),
      'the view drops the route attribute',
    );
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const m = await waitFor(() => receiver.metrics().find((x) => x.item.name === 'app.requests'), 20000);
    assert.equal(m.resource['service.name'], 'example-from-test');
    assert.equal(m.resource['deployment.environment.name'], 'development');
    assert.equal(app.out.stderr, '');
  } finally {
    await app.stop();
    await receiver.close();
  }
});
