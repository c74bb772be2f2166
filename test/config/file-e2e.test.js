// Samplers, exporters and substitution from a configuration file, end to end: spans over
// OTLP/gRPC and metrics over OTLP/HTTP JSON to mockotlpserver, spans on the console exporter,
// the pull reader's port serving /metrics (checked by promtool), ${VAR} and ${VAR:-default}.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';

const dir = mkdtempSync(path.join(tmpdir(), 'config-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLED = (id) => ({ traceparent: `00-${id}-00f067aa0ba902b7-01` });
const NOT_SAMPLED = (id) => ({ traceparent: `00-${id}-00f067aa0ba902b7-00` });
const traceIdOf = (span) => Buffer.from(span.item.traceId).toString('hex');

test('otlp_grpc spans and otlp_http (json) metrics; parent_based(root: always_off); substitution; the pull reader port; promtool', async () => {
  const receiver = await startOtlpReceiver({ grpc: true });
  const file = path.join(dir, 'grpc.yaml');
  writeFileSync(
    file,
    `file_format: "1.0"
resource:
  attributes: [{name: service.name, value: "\${E2E_SERVICE:-e2e-default}"}, {name: team, value: "\${E2E_TEAM}"}]
propagator: {composite_list: "tracecontext"}
instrumentation/development:
  js:
    http: {headersToSpanAttributes: {server: {requestHeaders: [x-e2e]}}}
    fs: {enabled: true}
    dns: {enabled: false}
tracer_provider:
  processors: [{simple: {exporter: {otlp_grpc: {endpoint: "\${GRPC_URL}", tls: {insecure: true}}}}}]
  sampler: {parent_based: {root: {always_off: }}}
meter_provider:
  readers:
    - pull:
        exporter:
          prometheus/development:
            host: 127.0.0.1
            port: \${MPORT}
    - periodic: {interval: 300, exporter: {otlp_http: {endpoint: "\${HTTP_URL}/v1/metrics", encoding: json}}}
`,
  );
  const [ap, mp] = [await freePort(), await freePort()];
  const app = startApp('test/fixtures/plain-server.mjs', {
    env: {
      OTEL_CONFIG_FILE: file,
      GRPC_URL: receiver.grpcUrl,
      HTTP_URL: receiver.url,
      E2E_TEAM: 'core',
      MPORT: String(mp),
      APP_PORT: String(ap),
    },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${mp}/health/live`);
    await waitFor(() => app.out.stdout.includes('ready'));
    const sampledId = 'a'.repeat(32);
    const unsampledId = 'b'.repeat(32);
    await fetch(`http://127.0.0.1:${ap}/sampled`, { headers: { ...SAMPLED(sampledId), 'x-e2e': 'yes' } });
    await fetch(`http://127.0.0.1:${ap}/unsampled`, { headers: NOT_SAMPLED(unsampledId) });
    await fetch(`http://127.0.0.1:${ap}/root`);
    const span = await waitFor(() => receiver.spans().find((s) => traceIdOf(s) === sampledId));
    assert.equal(span.resource['service.name'], 'e2e-default', '${VAR:-default} with the variable unset');
    assert.equal(span.resource.team, 'core', '${VAR}');
    // The instrumentation section: http's options from the file, fs turned on, dns off.
    const header = span.item.attributes.find((a) => a.key.startsWith('http.request.header.x'));
    assert.deepEqual(
      header?.value.arrayValue.values.map((v) => v.stringValue),
      ['yes'],
    );
    const status = await (await fetch(`http://127.0.0.1:${mp}/status`)).json();
    const on = Object.fromEntries(status.instrumentations.map((i) => [i.name, i.enabled]));
    assert.deepEqual([on.fs, on.dns, on.http], [true, false, true]);
    const metric = await waitFor(() => receiver.metrics().find((m) => m.item.name === 'fixture.esm.loaded'));
    assert.equal(metric.resource['service.name'], 'e2e-default');
    // Metrics pushed after the requests: by then the simple processor has sent every sampled span.
    await waitFor(() => receiver.metrics().some((m) => m.item.name === 'http.server.request.duration'));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      receiver.spans().map(traceIdOf),
      [sampledId],
      'only the request whose remote parent was sampled; the root one fell to always_off',
    );
    const text = await (await fetch(`http://127.0.0.1:${mp}/metrics?format=prometheus`)).text();
    assert.match(text, /^fixture_esm_loaded_total\{/m);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  } finally {
    await app.stop();
    await receiver.close();
  }
});

test('console exporter; parent_based(root: trace_id_ratio_based ratio 0); OTEL_* ignored', async () => {
  const receiver = await startOtlpReceiver();
  const file = path.join(dir, 'console.yaml');
  writeFileSync(
    file,
    `file_format: "1.0"
propagator: {composite: [{tracecontext: }]}
tracer_provider:
  processors: [{simple: {exporter: {console: }}}]
  sampler: {parent_based: {root: {trace_id_ratio_based: {ratio: 0}}}}
`,
  );
  const [ap, mp] = [await freePort(), await freePort()];
  const app = startApp('test/fixtures/plain-server.mjs', {
    env: {
      OTEL_CONFIG_FILE: file,
      APP_PORT: String(ap),
      MONITORING_PORT: String(mp),
      // Ignored with a file: no OTLP export may reach the receiver.
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'always_on',
    },
  });
  try {
    await waitFor(() => app.out.stdout.includes('ready'));
    const sampledId = 'c'.repeat(32);
    await fetch(`http://127.0.0.1:${ap}/root-request`);
    await fetch(`http://127.0.0.1:${ap}/child-request`, { headers: SAMPLED(sampledId) });
    await waitFor(() => app.out.stdout.includes(sampledId));
    await new Promise((r) => setTimeout(r, 300));
    const printed = new Set([...app.out.stdout.matchAll(/traceId: '([0-9a-f]{32})'/g)].map((m) => m[1]));
    assert.deepEqual([...printed], [sampledId], 'the child of a sampled parent only: the root request was not sampled (ratio 0)');
    assert.deepEqual(receiver.received.traces, []);
  } finally {
    await app.stop();
    await receiver.close();
  }
});

test('cardinality_limits of the pull reader shape /metrics, those of a periodic reader (delta) its OTLP export; the facade keeps its own limit', async () => {
  const receiver = await startOtlpReceiver();
  const file = path.join(dir, 'cardinality.yaml');
  writeFileSync(
    file,
    `file_format: "1.0"
resource: {attributes: [{name: service.name, value: cardinality-e2e}]}
meter_provider:
  readers:
    - pull:
        exporter:
          prometheus/development:
            host: 127.0.0.1
            port: \${MPORT}
        cardinality_limits: {default: 100, counter: 4}
    - periodic:
        interval: 1000
        exporter: {otlp_http: {endpoint: "\${HTTP_URL}/v1/metrics", encoding: json, temporality_preference: delta}}
        cardinality_limits: {counter: 3}
`,
  );
  const mp = await freePort();
  const app = startApp('test/config/fixtures/cardinality-app.mjs', {
    env: { OTEL_CONFIG_FILE: file, MPORT: String(mp), HTTP_URL: receiver.url },
  });
  try {
    await waitFor(() => app.out.stdout.includes('ready'));
    await waitForHttp(`http://127.0.0.1:${mp}/health/live`);
    // The SDK's rule: a limit of N keeps N - 1 attribute sets and adds the rest into one series
    // marked otel.metric.overflow.
    const text = await (await fetch(`http://127.0.0.1:${mp}/metrics?format=prometheus`)).text();
    const sdkLines = text.split('\n').filter((l) => l.startsWith('fixture_sdk_widgets_total{'));
    assert.equal(sdkLines.length, 4, sdkLines.join('\n'));
    const overflow = sdkLines.find((l) => l.includes('otel_metric_overflow="true"'));
    assert.match(overflow ?? '', / 7$/, 'seven of the ten sets in the overflow series');
    // The facade's counter is not an SDK stream: its per-instrument limit (2000 by default) applies.
    assert.equal(text.split('\n').filter((l) => l.startsWith('fixture_facade_widgets_total{')).length, 10);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);

    const pushed = await waitFor(() =>
      receiver.metrics().find((m) => m.item.name === 'fixture.sdk.widgets' && m.item.sum.dataPoints.length > 0),
    );
    const points = pushed.item.sum.dataPoints;
    // temporality_preference: delta reaches the exporter (OTLP's AGGREGATION_TEMPORALITY_DELTA is 1).
    assert.ok([1, 'AGGREGATION_TEMPORALITY_DELTA'].includes(pushed.item.sum.aggregationTemporality), JSON.stringify(pushed.item.sum));
    assert.equal(points.length, 3, JSON.stringify(points));
    const pushedOverflow = points.find((p) => p.attributes.some((a) => a.key === 'otel.metric.overflow'));
    assert.equal(Number(pushedOverflow?.asInt ?? pushedOverflow?.asDouble), 8, 'eight of the ten sets in the overflow series');
    // (The interval also caps the export timeout: 1 s leaves a loaded machine room to export.)
    assert.equal(app.out.stderr, '', 'no warning: both readers take cardinality_limits');
  } finally {
    await app.stop();
    await receiver.close();
  }
});

test("an instrumentation's own OTEL_* variable is ignored with a file too: OpenAI message content stays uncaptured", async () => {
  const file = path.join(dir, 'openai.yaml');
  writeFileSync(file, `file_format: "1.0"\nlogger_provider:\n  processors: [{simple: {exporter: {console: }}}]\n`);
  const run = (env) =>
    spawnSync(process.execPath, ['--import', './register', 'test/config/fixtures/openai-app.cjs'], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, MONITORING_PORT: '0', MONITORING_STRICT: '', OTEL_LOG_LEVEL: '', ...env },
    });
  const withFile = run({ OTEL_CONFIG_FILE: file, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
  assert.equal(withFile.status, 0, withFile.stderr);
  // The instrumentation's events are there (the user message, the choice), without their content.
  assert.match(withFile.stdout, /'event\.name': 'gen_ai\.user\.message'/);
  assert.doesNotMatch(withFile.stdout, /the-user-question/, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT was read');
  // The same variable without a file is the instrumentation's to read.
  const withEnv = run({
    OTEL_LOGS_EXPORTER: 'console',
    OTEL_BLRP_SCHEDULE_DELAY: '50',
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
  });
  assert.equal(withEnv.status, 0, withEnv.stderr);
  assert.match(withEnv.stdout, /the-user-question/);
});

test('the pull exporter naming options: no suffixes, no scope labels, no target_info, chosen resource attributes as labels', async () => {
  const file = path.join(dir, 'naming.yaml');
  writeFileSync(
    file,
    `file_format: "1.0"
resource:
  attributes:
    - {name: service.name, value: naming-e2e}
    - {name: service.namespace, value: shop}
    - {name: deployment.environment.name, value: test}
meter_provider:
  readers:
    - pull:
        exporter:
          prometheus/development:
            host: 127.0.0.1
            port: \${MPORT}
            translation_strategy: underscore_escaping_without_suffixes/development
            scope_info_enabled: false
            target_info_enabled/development: false
            resource_constant_labels: {included: ["service.*"], excluded: [service.instance.id]}
`,
  );
  const mp = await freePort();
  const app = startApp('test/config/fixtures/naming-app.mjs', { env: { OTEL_CONFIG_FILE: file, MPORT: String(mp) } });
  try {
    await waitFor(() => app.out.stdout.includes('ready'));
    await waitForHttp(`http://127.0.0.1:${mp}/health/live`);
    const text = await (await fetch(`http://127.0.0.1:${mp}/metrics?format=prometheus`)).text();
    const resource = 'service_name="naming-e2e",service_namespace="shop"';
    assert.match(text, /^# TYPE fixture_sdk_latency histogram$/m);
    assert.ok(text.includes(`fixture_sdk_latency_count{route="/a",${resource}} 1\n`), text);
    assert.ok(text.includes(`fixture_facade_requests{route="/a",${resource}} 2\n`), 'a counter without _total');
    assert.ok(text.includes(`fixture_facade_wait_count{${resource}} 1\n`), 'no _seconds');
    assert.doesNotMatch(text, /otel_scope_name|target_info|service_instance_id|deployment_environment/);
    // promtool parses it; its only complaint is the missing _total the file asked for.
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = (lint.stdout + lint.stderr)
      .split('\n')
      .filter((l) => l.trim() && !l.includes('counter metrics should have "_total" suffix'));
    assert.deepEqual(problems, [], lint.stdout + lint.stderr);
    // OpenMetrics keeps _total on counters: its format requires it.
    const om = await (
      await fetch(`http://127.0.0.1:${mp}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })
    ).text();
    assert.ok(om.includes(`fixture_facade_requests_total{route="/a",${resource}} 2\n`), om);
    assert.match(om, /^# TYPE fixture_facade_requests counter$/m);
    assert.equal(app.out.stderr, '', 'no warning: every option is supported');
  } finally {
    await app.stop();
  }
});
