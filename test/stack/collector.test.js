// otel-collector/config.yaml: only contrib components, every one defined and used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readYaml } from './stack-files.js';

// Component types shipped in otel/opentelemetry-collector-contrib (a subset: the ones a
// config for this stack could reasonably use). A name outside it fails the test.
const CONTRIB = {
  receivers: [
    'otlp',
    'prometheus',
    'hostmetrics',
    'filelog',
    'jaeger',
    'zipkin',
    'kafka',
    'docker_stats',
    'httpcheck',
    'redis',
    'postgresql',
    'mysql',
    'k8s_cluster',
    'kubeletstats',
  ],
  processors: [
    'memory_limiter',
    'batch',
    'attributes',
    'resource',
    'resourcedetection',
    'filter',
    'transform',
    'tail_sampling',
    'probabilistic_sampler',
    'k8sattributes',
    'span',
    'groupbyattrs',
    'cumulativetodelta',
    'deltatocumulative',
  ],
  exporters: ['otlp', 'otlphttp', 'debug', 'prometheus', 'prometheusremotewrite', 'loadbalancing', 'kafka', 'file', 'zipkin'],
  extensions: ['health_check', 'pprof', 'zpages', 'basicauth', 'bearertokenauth', 'file_storage'],
  connectors: ['spanmetrics', 'servicegraph', 'count', 'forward', 'routing'],
};
const typeOf = (id) => id.split('/')[0];

const config = readYaml('otel-collector/config.yaml');
const pipelines = Object.entries(config.service.pipelines);

test('every defined component is a contrib component type', () => {
  for (const kind of Object.keys(CONTRIB)) {
    for (const id of Object.keys(config[kind] ?? {}))
      assert.ok(CONTRIB[kind].includes(typeOf(id)), `${kind}.${id} is not in the contrib allow-list`);
  }
});

test('pipelines name only defined components, and every defined component is used', () => {
  const used = { receivers: new Set(), processors: new Set(), exporters: new Set() };
  for (const [name, p] of pipelines) {
    assert.ok(['traces', 'metrics', 'logs'].includes(typeOf(name)), `pipeline ${name} has a signal type`);
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const id of p[kind] ?? []) {
        assert.ok(config[kind] && id in config[kind], `pipeline ${name} names ${kind}.${id}, which is not defined`);
        used[kind].add(id);
      }
    }
    assert.ok(p.receivers?.length && p.exporters?.length, `pipeline ${name} has receivers and exporters`);
  }
  for (const kind of Object.keys(used))
    assert.deepEqual([...used[kind]].sort(), Object.keys(config[kind]).sort(), `every ${kind} entry is used`);
  assert.deepEqual([...config.service.extensions].sort(), Object.keys(config.extensions).sort());
});

test('traces, metrics and logs each go memory_limiter first, batch last, to their store', () => {
  const bySignal = Object.fromEntries(pipelines.map(([n, p]) => [typeOf(n), p]));
  for (const signal of ['traces', 'metrics', 'logs']) {
    const p = bySignal[signal];
    assert.ok(p, `a ${signal} pipeline exists`);
    assert.equal(p.processors[0], 'memory_limiter', `${signal}: memory_limiter first`);
    assert.equal(p.processors.at(-1), 'batch', `${signal}: batch last`);
  }
  assert.equal(config.exporters[bySignal.traces.exporters[0]].endpoint, 'tempo:4317');
  assert.equal(config.exporters[bySignal.logs.exporters[0]].endpoint, 'http://loki:3100/otlp');
  assert.equal(typeOf(bySignal.metrics.exporters[0]), 'prometheus');
});

test('OTLP on 4317 (gRPC) and 4318 (HTTP), health_check on 13133, stores are compose services', () => {
  assert.equal(config.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
  assert.equal(config.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
  assert.equal(config.extensions.health_check.endpoint, '0.0.0.0:13133');
  const compose = readYaml('docker-compose.yml');
  for (const host of ['tempo', 'loki']) assert.ok(host in compose.services, `${host} is a compose service`);
  const tempo = readYaml('tempo/tempo.yaml');
  assert.equal(tempo.distributor.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
  const loki = readYaml('loki/loki.yaml');
  assert.equal(loki.limits_config.allow_structured_metadata, true, 'Loki OTLP ingestion needs structured metadata');
  assert.equal(loki.schema_config.configs.at(-1).schema, 'v13', 'Loki OTLP ingestion needs schema v13');
});
