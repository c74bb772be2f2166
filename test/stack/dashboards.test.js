// Dashboards: type-checked against @grafana/schema by tsc, and every PromQL panel query
// answered with data by a real Prometheus scraping the fixture app under light load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, freePort, startApp, waitForHttp, waitFor } from '../helpers.js';
import { readYaml, loadDashboards, panelQueries, concreteQuery } from './stack-files.js';

const run = promisify(execFile);
const dashboards = loadDashboards();

test('every dashboard type-checks against @grafana/schema Dashboard (tsc)', { timeout: 60000 }, async (t) => {
  // See test/stack/dashboard-schema.ts for why each JSON is compiled as a literal.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-tsc-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const schema = path.join(ROOT, 'test/stack/dashboard-schema.ts');
  for (const { file } of dashboards) {
    const text = fs.readFileSync(path.join(ROOT, 'grafana/dashboards', file), 'utf8');
    const ts = `import type { DashboardJson } from ${JSON.stringify(schema)};\nexport const dashboard = (${text}) as const satisfies DashboardJson;\n`;
    fs.writeFileSync(path.join(dir, file.replace(/\.json$/, '.ts')), ts);
  }
  const tsconfig = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: [] }, include: ['*.ts'] };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const r = await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: ROOT }).catch((e) => e);
  assert.equal(r.code ?? 0, 0, `tsc found dashboards that do not match the schema:\n${r.stdout}${r.stderr}`);
});

/** The PySocketCommLib-compatible `app` scrape job from prometheus/prometheus.yml, pointed at the fixture. */
function prometheusConfig(appTarget) {
  const real = readYaml('prometheus/prometheus.yml');
  const app = real.scrape_configs.find((j) => j.job_name === 'app');
  return {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ['rules.yml'],
    scrape_configs: [{ ...app, scrape_interval: '1s', scrape_timeout: '1s', static_configs: [{ targets: [appTarget] }] }],
  };
}

async function promQuery(base, query) {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(3000) });
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

test('every PromQL panel query returns data from a real Prometheus scraping the fixture app', { timeout: 60000 }, async (t) => {
  const [monitoringPort, appPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const app = startApp('test/stack/fixtures/dashboard-app.js', {
    env: { MONITORING_PORT: String(monitoringPort), APP_PORT: String(appPort), OTEL_SERVICE_NAME: 'dashboard-fixture' },
  });
  t.after(() => app.stop());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-prom-'));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(prometheusConfig(`127.0.0.1:${monitoringPort}`)));
  fs.copyFileSync(path.join(ROOT, 'prometheus/rules.yml'), path.join(dir, 'rules.yml'));
  const prom = spawn('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--enable-feature=exemplar-storage',
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let promLog = '';
  prom.stderr.on('data', (d) => (promLog = (promLog + d).slice(-4000)));
  const promExited = new Promise((resolve) => prom.once('exit', resolve));
  t.after(async () => {
    if (prom.exitCode === null && prom.signalCode === null) prom.kill('SIGKILL');
    await promExited;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${promPort}`;
  await waitForHttp(`http://127.0.0.1:${monitoringPort}/health/live`, 15000);
  await waitForHttp(`${base}/-/ready`, 15000);

  // Light load, bounded in count and time: 200s, 500s and 404s, ~50 requests/s for 8 s.
  const paths = ['/', '/', '/', '/fail', '/missing'];
  let sent = 0;
  const loadUntil = Date.now() + 8000;
  const load = (async () => {
    while (Date.now() < loadUntil && sent < 1000) {
      await fetch(`http://127.0.0.1:${appPort}${paths[sent++ % paths.length]}`).then((r) => r.arrayBuffer(), () => {});
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  await waitFor(async () => (await promQuery(base, 'up{job="app"} == 1')).length === 1, 15000).catch((e) => {
    throw new Error(`Prometheus never scraped the fixture: ${e.message}\n${promLog}`);
  });

  const queries = panelQueries(dashboards).filter((q) => q.uid === 'prometheus');
  assert.ok(queries.length >= 25, `expected the dashboards' PromQL queries, found ${queries.length}`);
  const vars = { job: 'app' };
  const empty = new Map(queries.map((q) => [`${q.dashboard} / ${q.panel} (${q.refId}): ${concreteQuery(q.expr, vars)}`, concreteQuery(q.expr, vars)]));
  // Rates need two scrapes inside the window: poll until every query has data or time is up.
  const deadline = Date.now() + 25000;
  while (empty.size > 0 && Date.now() < deadline) {
    for (const [name, query] of empty) if ((await promQuery(base, query)).length > 0) empty.delete(name);
    if (empty.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  await load;
  assert.deepEqual([...empty.keys()], [], `panel queries with an empty result (${sent} requests sent)`);

  // The dashboards' job variable lists target_info's job; recording rules evaluate.
  assert.ok((await promQuery(base, 'target_info{job="app"}')).length > 0, 'target_info feeds the job variable');
  await waitFor(async () => (await promQuery(base, 'job:http_server_requests:rate1m')).length > 0, 10000);

  // Exemplars stored with the label the Grafana datasource maps to Tempo (trace_id).
  const now = Date.now() / 1000;
  const ex = await fetch(`${base}/api/v1/query_exemplars?query=${encodeURIComponent('operation_duration_seconds_bucket')}&start=${now - 120}&end=${now + 5}`).then((r) => r.json());
  const first = ex.data?.[0]?.exemplars?.[0];
  assert.match(first?.labels?.trace_id ?? '', /^[0-9a-f]{32}$/, `an exemplar with trace_id: ${JSON.stringify(ex).slice(0, 300)}`);
});
