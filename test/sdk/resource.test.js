// The service's name by default: service.name and service.version from the package.json nearest
// the entry script when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names the
// service; OTEL_NODE_RESOURCE_DETECTORS loads the container and cloud detectors only when named,
// and an unknown name is one warning while the others still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startApp } from '../helpers.js';

let dir;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'monitoring-pkg-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'orders-api', version: '1.4.2' }));
  // A folder's {"type": "commonjs"} marker has no name: the app's own package.json is further up.
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'package.json'), '{"type":"commonjs"}');
  writeFileSync(
    path.join(dir, 'src', 'app.js'),
    `const base = 'http://127.0.0.1:' + process.env.MONITORING_PORT;
Promise.all([fetch(base + '/status').then((r) => r.json()), fetch(base + '/metrics', { headers: { accept: 'text/plain' } }).then((r) => r.text())]).then(([status, metrics]) => {
  const lazy = Object.keys(require.cache).filter((f) => f.includes('/dist/lazy/')).map((f) => f.slice(f.lastIndexOf('/') + 1));
  const targetInfo = metrics.split('\\n').find((l) => l.startsWith('target_info{'));
  console.log(JSON.stringify({ service: status.service, lazy, targetInfo }));
  process.exit(0); // fetch's keep-alive sockets would hold the process for seconds
});
`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(env = {}) {
  const app = startApp(path.join(dir, 'src', 'app.js'), {
    env: { MONITORING_PORT: String(await freePort()), MONITORING_SYSTEM_METRICS: 'false', ...env },
  });
  const { code } = await app.exited;
  assert.equal(code, 0, app.out.stderr);
  return { ...JSON.parse(app.out.stdout.split('\n').find((l) => l.startsWith('{'))), stderr: app.out.stderr };
}

test("no name given: the app's package.json names the service and its version", async () => {
  const r = await run();
  assert.equal(r.service.name, 'orders-api');
  assert.equal(r.service.version, '1.4.2');
  assert.match(r.targetInfo, /service_name="orders-api"/);
  assert.match(r.targetInfo, /service_version="1\.4\.2"/);
  assert.deepEqual(r.lazy, [], 'no detector package by default');
  assert.equal(r.stderr, '');
});

test('OTEL_SERVICE_NAME or service.name in OTEL_RESOURCE_ATTRIBUTES: the package.json is not used', async () => {
  const named = await run({ OTEL_SERVICE_NAME: 'billing' });
  assert.equal(named.service.name, 'billing');
  assert.equal(named.service.version, undefined);
  const attrs = await run({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=ledger,service.version=9' });
  assert.equal(attrs.service.name, 'ledger');
  assert.equal(attrs.service.version, '9');
});

test('OTEL_NODE_RESOURCE_DETECTORS=env,container,nosuch: the container detector loaded, one warning, env still applied', async () => {
  const r = await run({ OTEL_NODE_RESOURCE_DETECTORS: 'env,container,nosuch', OTEL_RESOURCE_ATTRIBUTES: 'team=core' });
  assert.deepEqual(r.lazy, ['resource-detector-container.cjs']);
  assert.match(r.targetInfo, /team="core"/);
  assert.doesNotMatch(r.targetInfo, /os_type=/, 'os was not named');
  assert.equal(r.service.name, 'orders-api');
  const warnings = r.stderr.split('\n').filter(Boolean);
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(
    warnings[0],
    /unknown resource detector "nosuch" in OTEL_NODE_RESOURCE_DETECTORS, ignored; valid names: env, host, os, process, serviceinstance, container, aws, gcp, azure, alibaba, all, none/,
  );
});
