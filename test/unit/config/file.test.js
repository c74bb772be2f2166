// Reading OpenTelemetry configuration files (src/config/file.ts, from-file.ts, views.ts,
// monitoring-section.ts) against the CommonJS build, which is the copy that loads them: the
// upstream example files, environment substitution, the views, every kind of bad input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../helpers.js';

const require = createRequire(import.meta.url);
const { loadFromFile } = require('../../../dist/cjs/config/load-file.js');
const { ConfigFileError } = require('../../../dist/cjs/config/file.js');
const { resolveConfig } = require('../../../dist/cjs/config/index.js');
const { effectiveConfig } = require('../../../dist/cjs/config/effective.js');

const dir = mkdtempSync(path.join(tmpdir(), 'config-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text) {
  const p = path.join(dir, `c${n++}.yaml`);
  writeFileSync(p, text);
  return p;
}
const EXAMPLES = path.join(ROOT, 'test/fixtures/otel-configuration');

test('upstream otel-getting-started.yaml (file_format 1.1): valid, no warning; OTLP http exporters for the three signals', () => {
  const c = loadFromFile(path.join(EXAMPLES, 'otel-getting-started.yaml'), {});
  assert.deepEqual(c.warnings, []);
  assert.equal(c.source.kind, 'file');
  // Its `service` detector names the service from OTEL_SERVICE_NAME, as the spec's detector does.
  assert.equal(c.resource.serviceName, undefined);
  assert.equal(loadFromFile(path.join(EXAMPLES, 'otel-getting-started.yaml'), { OTEL_SERVICE_NAME: 'svc' }).resource.serviceName, 'svc');
  assert.deepEqual(c.resource.detectors, ['serviceinstance', 'host', 'os', 'process', 'container']);
  assert.deepEqual(c.propagators, ['tracecontext', 'baggage']);
  const [span] = c.traces.processors;
  assert.equal(span.type, 'batch');
  assert.deepEqual(
    { ...span.exporter, headers: undefined },
    {
      kind: 'otlp',
      protocol: 'http/protobuf',
      endpoint: 'http://localhost:4318/v1/traces',
      headers: undefined,
      compression: 'none',
      timeoutMs: 10000,
    },
  );
  assert.equal(c.metrics.readers[0].exporter.endpoint, 'http://localhost:4318/v1/metrics');
  assert.equal(c.metrics.readers[0].intervalMs, 60000);
  assert.equal(c.logs.processors[0].exporter.endpoint, 'http://localhost:4318/v1/logs');
  assert.deepEqual(c.traces.sampler, { type: 'parent_based', root: { type: 'always_on' } });
});

test('upstream otel-sdk-config.yaml: valid, every part of it supported (its TLS files are null: unset)', () => {
  const c = loadFromFile(path.join(EXAMPLES, 'otel-sdk-config.yaml'), {});
  assert.deepEqual(c.warnings, []);
  assert.equal(c.diagLevel, 'INFO');
  assert.deepEqual(c.traces.sampler.type, 'parent_based');
  assert.equal(c.traces.processors[0].exporter.compression, 'gzip');
  assert.equal(c.metrics.readers[0].exporter.temporality, 'cumulative');
  assert.equal(c.metrics.exemplarFilter, 'trace_based');
  assert.equal(c.traces.limits.attributeCountLimit, 128);
  assert.equal(c.logs.limits.attributeCountLimit, 128);
});

test('substitution as the configuration data model says: ${VAR}, ${VAR:-default}, $$ escapes, typed plain scalars, quoted strings stay strings', () => {
  const p = file(
    [
      'file_format: "1.0"',
      'disabled: ${DISABLED}',
      'resource:',
      '  attributes:',
      '    - name: service.name',
      '      value: ${SVC:-fallback}',
      '    - name: literal',
      '      value: $${SVC}',
      '    - name: quoted',
      '      value: "${NUM}"',
      'meter_provider:',
      '  readers:',
      '    - periodic:',
      '        interval: ${NUM}',
      '        exporter: {console: {}}',
    ].join('\n'),
  );
  const env = { DISABLED: 'true', NUM: '1500' };
  const old = { ...process.env };
  Object.assign(process.env, env);
  delete process.env.SVC;
  try {
    const c = loadFromFile(p, process.env);
    assert.equal(c.sdkDisabled, true);
    assert.equal(c.resource.serviceName, 'fallback');
    assert.equal(c.resource.attributes.literal, '${SVC}');
    assert.equal(c.resource.attributes.quoted, '1500');
    assert.equal(c.metrics.readers[0].intervalMs, 1500);
    process.env.SVC = 'from-env';
    assert.equal(loadFromFile(p, process.env).resource.serviceName, 'from-env');
  } finally {
    for (const k of ['DISABLED', 'NUM', 'SVC']) if (old[k] === undefined) delete process.env[k];
  }
});

test('meter_provider.views become ViewSpec[] on config.metrics.views (camel-cased, nulls dropped, frozen)', () => {
  const p = file(`file_format: "1.0"
meter_provider:
  readers: [{periodic: {exporter: {console: {}}}}]
  views:
    - selector: {instrument_name: "http.server.request.duration", instrument_type: histogram, meter_name: null}
      stream:
        aggregation: {explicit_bucket_histogram: {boundaries: [0.01, 0.1, 1], record_min_max: false}}
        attribute_keys: {excluded: ["url.*", "?ser"]}
    - selector: {instrument_name: "jobs*"}
      stream: {name: renamed, description: d, aggregation: {drop: {}}, aggregation_cardinality_limit: 50, attribute_keys: {included: [a]}}
`);
  const { views } = loadFromFile(p, {}).metrics;
  assert.deepEqual(JSON.parse(JSON.stringify(views)), [
    {
      selector: { instrumentName: 'http.server.request.duration', instrumentType: 'histogram' },
      stream: {
        aggregation: { type: 'explicit_bucket_histogram', boundaries: [0.01, 0.1, 1], recordMinMax: false },
        attributeKeys: { excluded: ['url.*', '?ser'] },
      },
    },
    {
      selector: { instrumentName: 'jobs*' },
      stream: {
        name: 'renamed',
        description: 'd',
        aggregation: { type: 'drop' },
        attributeKeys: { included: ['a'] },
        cardinalityLimit: 50,
      },
    },
  ]);
  assert.ok(Object.isFrozen(views) && Object.isFrozen(views[0].stream.aggregation.boundaries));
});

test('distribution.socketcomm_monitoring: over MONITORING_*, which fill the rest; OTEL_* ignored with a file', () => {
  const p = file(`file_format: "1.0"
meter_provider:
  readers: [{pull: {exporter: {prometheus/development: {port: 9999}}}}]
distribution:
  socketcomm_monitoring:
    server: {port: 0, auth_token: t0k3n, cors_origins: ["https://a.example"]}
    shutdown: {delay_ms: 250}
    ui: {enabled: false}
    series_ttl_ms: 60000
`);
  const c = loadFromFile(p, {
    MONITORING_HOST: '127.0.0.1',
    MONITORING_SHUTDOWN_TIMEOUT_MS: '4000',
    OTEL_EXPORTER_PROMETHEUS_HOST: '10.0.0.1',
    OTEL_SERVICE_NAME: 'ignored',
    OTEL_TRACES_EXPORTER: 'console',
  });
  const m = c.monitoring;
  assert.deepEqual(
    [m.host, m.port, m.authToken, m.corsOrigins, m.shutdownDelayMs, m.shutdownTimeoutMs, m.ui.enabled, m.seriesTtlMs],
    ['127.0.0.1', 0, 't0k3n', ['https://a.example'], 250, 4000, false, 60000],
  );
  assert.equal(c.resource.serviceName, undefined);
  assert.deepEqual(c.traces.processors, []);
  // The pull reader's port applies when the section names none.
  assert.equal(
    loadFromFile(file('file_format: "1.0"\nmeter_provider: {readers: [{pull: {exporter: {prometheus/development: {port: 9999}}}}]}\n'), {})
      .monitoring.port,
    9999,
  );
});

test('unknown and unsupported keys: one warning each, with the path', () => {
  const p = file(`file_format: "1.0"
extra_top: 1
tracer_provider:
  processors: [{batch: {exporter: {zipkin: {endpoint: "http://x"}}}}]
  sampler: {jaeger_remote/development: {endpoint: "http://x", initial_sampler: {always_on: {}}}}
distribution:
  socketcomm_monitoring: {colour: blue, ui: {shade: 1}}
  other_vendor: {x: 1}
`);
  const { warnings } = loadFromFile(p, {});
  const paths = warnings.map((w) => w.slice(p.length + 2).split(':')[0]);
  assert.deepEqual(paths.sort(), [
    'distribution.socketcomm_monitoring.colour',
    'distribution.socketcomm_monitoring.ui.shade',
    'extra_top',
    'tracer_provider.processors[0].batch.exporter.zipkin',
    'tracer_provider.sampler.jaeger_remote/development',
  ]);
});

/** The error a file gives: one ConfigFileError naming the file, the path and what was expected. */
function errorOf(text) {
  const p = file(text);
  try {
    loadFromFile(p, {});
  } catch (e) {
    assert.ok(e instanceof ConfigFileError, String(e));
    assert.ok(e.message.startsWith(p), e.message);
    return { path: e.path, detail: e.detail, line: e.line, message: e.message };
  }
  assert.fail('no error');
}

test('bad input: YAML error, wrong type, unknown enum, unknown key where the schema forbids one, bad file_format, bad substitution, bad section value', () => {
  const yaml = errorOf('file_format: "1.0"\nmeter_provider:\n  readers: [\n');
  assert.match(yaml.detail, /^not valid YAML: /);
  assert.equal(typeof yaml.line, 'number');

  const type = errorOf(
    'file_format: "1.0"\nmeter_provider:\n  readers:\n    - periodic:\n        interval: soon\n        exporter: {console: {}}\n',
  );
  assert.deepEqual(
    [type.path, type.detail, type.line],
    ['meter_provider.readers[0].periodic.interval', 'expected integer or null, got "soon"', 5],
  );

  const enumErr = errorOf(
    'file_format: "1.0"\nmeter_provider:\n  exemplar_filter: sometimes\n  readers: [{periodic: {exporter: {console: {}}}}]\n',
  );
  assert.equal(enumErr.path, 'meter_provider.exemplar_filter');
  assert.match(enumErr.detail, /^expected one of "always_on", "always_off", "trace_based"(, null)?, got "sometimes"$/);

  const key = errorOf('file_format: "1.0"\ntracer_provider:\n  processors: [{batch: {exporter: {otlp_http: {endpont: "http://x"}}}}]\n');
  assert.equal(key.path, 'tracer_provider.processors[0].batch.exporter.otlp_http.endpont');
  assert.match(key.detail, /unknown key/);

  const format = errorOf('file_format: "2.0"\n');
  assert.deepEqual([format.path, format.line], ['file_format', 1]);
  assert.match(format.detail, /expected a version "1\.x"/);
  assert.match(errorOf('disabled: true\n').detail, /expected a version "1\.x".*got nothing/);

  assert.match(
    errorOf('file_format: "1.0"\nresource: {schema_url: "${X:?boom}"}\n').detail,
    /invalid env var substitution.*expected \$\{NAME\}/,
  );

  const section = errorOf('file_format: "1.0"\ndistribution:\n  socketcomm_monitoring:\n    server: {port: "nine"}\n');
  assert.deepEqual(
    [section.path, section.detail],
    ['distribution.socketcomm_monitoring.server.port', 'expected an integer 0..65535, got "nine"'],
  );

  assert.match(errorOf('- a\n- b\n').detail, /expected a mapping at the top level, got a list/);
});

test('an unreadable file: one error naming it; resolveConfig never throws and turns monitoring off but for the health routes', () => {
  const missing = path.join(dir, 'missing.yaml');
  assert.throws(
    () => loadFromFile(missing, {}),
    (e) => e instanceof ConfigFileError && e.message === `${missing}: cannot be read (ENOENT)`,
  );
  const c = resolveConfig({ OTEL_CONFIG_FILE: missing, MONITORING_PORT: '1234' });
  assert.equal(c.invalid.message, `${missing}: cannot be read (ENOENT)`);
  assert.equal(c.sdkDisabled, true);
  assert.equal(c.monitoring.port, 1234);
  assert.equal(c.monitoring.ui.enabled, false);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.monitoring.ui));
});

test('the effective configuration hides exporter header values, tokens and URL passwords; names where each part came from', () => {
  const p = file(`file_format: "1.0"
tracer_provider:
  processors:
    - batch:
        exporter:
          otlp_http:
            endpoint: "https://user:hunter2@collector.example:4318/v1/traces"
            headers: [{name: api-key, value: s3cr3t}]
            headers_list: "authorization=Bearer abc"
distribution:
  socketcomm_monitoring: {server: {auth_token: t0k3n}}
`);
  const shown = effectiveConfig(loadFromFile(p, {}));
  const text = JSON.stringify(shown);
  for (const secret of ['hunter2', 's3cr3t', 'Bearer abc', 't0k3n']) assert.ok(!text.includes(secret), secret);
  const exp = shown.parts.tracer_provider.value.processors[0].exporter;
  assert.equal(exp.endpoint, 'https://user:***@collector.example:4318/v1/traces');
  assert.deepEqual(exp.headers, { 'api-key': '[REDACTED]', authorization: '[REDACTED]' });
  assert.equal(shown.parts.monitoring.value.authToken, '[REDACTED]');
  assert.equal(shown.parts.tracer_provider.origin, p);
  assert.equal(shown.parts.monitoring.origin, `${p} (distribution.socketcomm_monitoring), environment`);
  const env = effectiveConfig(
    resolveConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://u:pw@h:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-key=v4lue',
      OTEL_TRACES_EXPORTER: 'otlp',
    }),
  );
  assert.equal(env.source, 'environment');
  assert.equal(env.parts.tracer_provider.origin, 'environment');
  assert.deepEqual(env.parts.tracer_provider.value.processors[0].exporter.fromEnv, {
    endpoint: 'http://u:***@h:4318',
    headers: { 'x-key': '[REDACTED]' },
  });
});
