// grafana/: datasources wired for correlation; dashboards refer only to provisioned uids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.js';
import { readYaml, loadDashboards, panelsOf, panelQueries } from './stack-files.js';

const sources = readYaml('grafana/provisioning/datasources/datasources.yaml').datasources;
const byUid = Object.fromEntries(sources.map((d) => [d.uid, d]));

test('Prometheus, Tempo and Loki are provisioned, pointing at compose services', () => {
  const compose = readYaml('docker-compose.yml');
  assert.deepEqual(sources.map((d) => `${d.type}:${d.uid}`).sort(), ['loki:loki', 'prometheus:prometheus', 'tempo:tempo']);
  for (const d of sources) assert.ok(new URL(d.url).hostname in compose.services, `${d.name} url ${d.url} is a compose service`);
});

test('correlation: exemplar and log trace_id open Tempo; a trace opens its logs and metrics', () => {
  assert.deepEqual(byUid.prometheus.jsonData.exemplarTraceIdDestinations, [{ name: 'trace_id', datasourceUid: 'tempo' }]);
  const derived = byUid.loki.jsonData.derivedFields.find((f) => f.name === 'trace_id');
  assert.equal(derived.datasourceUid, 'tempo');
  assert.equal(derived.matcherType, 'label', 'OTLP logs carry trace_id as structured metadata');
  assert.equal(byUid.tempo.jsonData.tracesToLogsV2.datasourceUid, 'loki');
  assert.equal(byUid.tempo.jsonData.tracesToMetrics.datasourceUid, 'prometheus');
});

test('the dashboard provider loads the folder compose mounts', () => {
  const provider = readYaml('grafana/provisioning/dashboards/dashboards.yaml').providers[0];
  const mount = readYaml('docker-compose.yml').services.grafana.volumes.find((v) => v.startsWith('./grafana/dashboards:'));
  assert.equal(mount.split(':')[1], provider.options.path);
});

test('five dashboards with unique uids; every query uses a provisioned datasource', () => {
  const dashboards = loadDashboards();
  assert.deepEqual(
    dashboards.map((d) => d.file),
    ['health.json', 'logs.json', 'operations.json', 'runtime.json', 'service-overview.json'],
  );
  assert.equal(new Set(dashboards.map((d) => d.json.uid)).size, dashboards.length);
  for (const { json } of dashboards) {
    const ids = panelsOf(json).map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, `${json.title}: panel ids are unique`);
  }
  for (const q of panelQueries(dashboards)) {
    assert.ok(q.uid in byUid, `${q.dashboard} / ${q.panel}: datasource ${q.uid} is provisioned`);
    assert.ok(q.expr?.trim(), `${q.dashboard} / ${q.panel}: has a query`);
  }
  const home = readYaml('docker-compose.yml').services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
  assert.ok(fs.existsSync(path.join(ROOT, 'grafana/dashboards', path.basename(home))));
});
