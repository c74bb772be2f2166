// The same settings given as OTEL_* environment variables and as a configuration file give
// the same resource, the same exported spans (mockotlpserver) and the same /metrics exposition
// structure (checked by promtool).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

const dir = mkdtempSync(path.join(tmpdir(), 'config-parity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FILE = `file_format: "1.0"
resource:
  attributes:
    - {name: service.name, value: parity}
    - {name: deployment.environment.name, value: test}
  detection/development:
    detectors: [{service: }, {host: }, {process: }]
propagator:
  composite: [{tracecontext: }, {baggage: }]
tracer_provider:
  processors: [{batch: {schedule_delay: 200, exporter: {otlp_http: {endpoint: "\${RECEIVER}/v1/traces"}}}}]
  sampler: {parent_based: {root: {always_on: }}}
meter_provider:
  readers: [{periodic: {interval: 500, exporter: {otlp_http: {endpoint: "\${RECEIVER}/v1/metrics"}}}}]
`;

/** Run the fixture app, send it two requests, return what the receiver and /metrics saw. */
async function run(env) {
  const receiver = await startOtlpReceiver();
  const [ap, mp] = [await freePort(), await freePort()];
  const app = startApp('test/fixtures/plain-server.mjs', {
    env: {
      ...env(receiver.url),
      APP_PORT: String(ap),
      MONITORING_PORT: String(mp),
      MONITORING_HOST: '127.0.0.1',
      MONITORING_SYSTEM_METRICS: 'false',
      MONITORING_HEALTH_INTERVAL_MS: '0',
    },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${ap}/`);
    await fetch(`http://127.0.0.1:${ap}/hello`, { headers: { baggage: 'k=v' } });
    const span = await waitFor(() =>
      receiver.spans().find((s) => s.item.kind === 2 && s.item.attributes.some((a) => a.value?.stringValue === '/hello')),
    );
    await waitFor(() => receiver.metrics().some((m) => m.item.name === 'http.server.request.duration'));
    const text = await (await fetch(`http://127.0.0.1:${mp}/metrics?format=prometheus`)).text();
    return { span, text, stderr: app.out.stderr };
  } finally {
    await app.stop();
    await receiver.close();
  }
}

/** The exposition's structure: each family's TYPE and the label names of its samples (no values). */
function structure(text) {
  const out = new Set();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) out.add(line);
    else if (line && !line.startsWith('#')) {
      const m = /^([^{ ]+)(?:\{(.*)\})? /.exec(line);
      const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((x) => x[1]).sort();
      // GC metrics appear with the first collection of each kind, whenever that happens.
      if (!m[1].startsWith('v8js_gc')) out.add(`${m[1]} {${labels.join(',')}}`);
    }
  }
  return [...out].filter((l) => !l.includes('v8js_gc')).sort();
}

const VARYING = new Set(['service.instance.id', 'process.pid', 'process.parent_pid']);
const resourceOf = (r) => Object.fromEntries(Object.entries(r).filter(([k]) => !VARYING.has(k)));
const attributeKeys = (item) => item.attributes.map((a) => a.key).sort();

test('environment and file with the same settings: same resource, same spans, same exposition structure', async () => {
  const file = path.join(dir, 'parity.yaml');
  writeFileSync(file, FILE);
  const fromEnv = await run((url) => ({
    OTEL_SERVICE_NAME: 'parity',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    OTEL_EXPORTER_OTLP_ENDPOINT: url,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_METRIC_EXPORT_INTERVAL: '500',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_PROPAGATORS: 'tracecontext,baggage',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  }));
  // With the file, the OTEL_* variables (here deliberately different) are ignored.
  const fromFile = await run((url) => ({
    OTEL_CONFIG_FILE: file,
    RECEIVER: url,
    OTEL_SERVICE_NAME: 'not-this',
    OTEL_TRACES_SAMPLER: 'always_off',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
  }));
  assert.equal(fromFile.stderr, '', 'no error, no warning');

  assert.equal(fromEnv.span.resource['service.name'], 'parity');
  assert.deepEqual(resourceOf(fromFile.span.resource), resourceOf(fromEnv.span.resource));
  assert.ok(fromEnv.span.resource['host.name'] && fromEnv.span.resource['os.type'] && fromEnv.span.resource['process.runtime.name']);

  for (const s of [fromEnv.span, fromFile.span]) assert.equal(s.scope, '@opentelemetry/instrumentation-http');
  assert.equal(fromFile.span.item.name, fromEnv.span.item.name);
  assert.deepEqual(attributeKeys(fromFile.span.item), attributeKeys(fromEnv.span.item));

  const [a, b] = [structure(fromEnv.text), structure(fromFile.text)];
  assert.ok(a.some((l) => l.startsWith('http_server_request_duration_seconds_bucket {')));
  assert.deepEqual(b, a);
  for (const text of [fromEnv.text, fromFile.text]) {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.ok(!/error/i.test(r.stderr + r.stdout), r.stderr + r.stdout);
  }
});
