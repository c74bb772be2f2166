// Dashboards: type-checked against @grafana/schema by tsc; every PromQL panel query answered
// with data, and every label value a query selects by present in a series, by a real Prometheus
// scraping an app whose series all come from the package's real producers (under light load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, freePort, startApp, waitForHttp, waitFor } from '../helpers.js';
import { readYaml, loadDashboards, panelQueries, concreteQuery, valueMatchers } from './stack-files.js';
import { LogLevel } from '../../dist/index.js';

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
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      types: [],
    },
    include: ['*.ts'],
  };
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

test(
  'every PromQL panel query returns data, and every label value it selects by exists, from a real Prometheus scraping the fixture app',
  { timeout: 60000 },
  async (t) => {
    const [monitoringPort, appPort, promPort] = [await freePort(), await freePort(), await freePort()];
    const app = startApp('test/stack/fixtures/dashboard-app.js', {
      env: {
        MONITORING_PORT: String(monitoringPort),
        APP_PORT: String(appPort),
        OTEL_SERVICE_NAME: 'dashboard-fixture',
        MONITORING_HEALTH_INTERVAL_MS: '500',
      },
    });
    t.after(() => app.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-prom-'));
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(prometheusConfig(`127.0.0.1:${monitoringPort}`)));
    fs.copyFileSync(path.join(ROOT, 'prometheus/rules.yml'), path.join(dir, 'rules.yml'));
    const prom = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--enable-feature=exemplar-storage',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
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
        await fetch(`http://127.0.0.1:${appPort}${paths[sent++ % paths.length]}`).then(
          (r) => r.arrayBuffer(),
          () => {},
        );
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await waitFor(async () => (await promQuery(base, 'up{job="app"} == 1')).length === 1, 15000).catch((e) => {
      throw new Error(`Prometheus never scraped the fixture: ${e.message}\n${promLog}`);
    });

    const queries = panelQueries(dashboards).filter((q) => q.uid === 'prometheus');
    assert.ok(queries.length >= 25, `expected the dashboards' PromQL queries, found ${queries.length}`);
    const vars = { job: 'app' };
    const empty = new Map(
      queries.map((q) => [`${q.dashboard} / ${q.panel} (${q.refId}): ${concreteQuery(q.expr, vars)}`, concreteQuery(q.expr, vars)]),
    );
    // Rates need two scrapes inside the window: poll until every query has data or time is up.
    const deadline = Date.now() + 25000;
    while (empty.size > 0 && Date.now() < deadline) {
      for (const [name, query] of empty) if ((await promQuery(base, query)).length > 0) empty.delete(name);
      if (empty.size > 0) await new Promise((r) => setTimeout(r, 500));
    }
    await load;
    assert.deepEqual([...empty.keys()], [], `panel queries with an empty result (${sent} requests sent)`);

    // A query can have data and still select nothing by one of its values (`level=~"warn|error"`
    // where the app writes `warning`): each `=` value and each alternative of a `=~` must match
    // a series the app really exposes, judged by Prometheus's own (anchored RE2) matching.
    const unmatched = [];
    for (const q of queries) {
      for (const m of valueMatchers(concreteQuery(q.expr, vars))) {
        assert.ok(m.metric, `${q.dashboard} / ${q.panel}: a selector without a metric name`);
        for (const alt of m.alternatives) {
          const sel = `${m.metric}{${m.label}${m.op}${JSON.stringify(alt)}}`;
          if ((await promQuery(base, sel)).length === 0) unmatched.push(`${q.dashboard} / ${q.panel}: ${sel}`);
        }
      }
    }
    assert.deepEqual(unmatched, [], 'label values no series of the real app carries');

    // Log levels: the app wrote lines at every level; log.records counts each under the logger's
    // own level name, and the errors-and-warnings panel counts exactly warning, error and critical.
    const written = (await promQuery(base, 'sum by (level) (log_records_total{job="app"}) > 0')).map((r) => r.metric.level).sort();
    assert.deepEqual(written, Object.values(LogLevel).sort(), "log.records levels are the logger's");
    const panel = queries.find((q) => q.panel === 'Errors and warnings / min');
    const levelMatcher = valueMatchers(panel.expr).find((m) => m.label === 'level');
    const counted = (
      await promQuery(
        base,
        `sum by (level) (log_records_total{job="app", level${levelMatcher.op}${JSON.stringify(levelMatcher.alternatives.join('|'))}})`,
      )
    )
      .map((r) => r.metric.level)
      .sort();
    assert.deepEqual(
      counted,
      [LogLevel.CRITICAL, LogLevel.ERROR, LogLevel.WARNING].sort(),
      'the errors-and-warnings panel counts warning, error and critical lines',
    );

    // The dashboards' job variable lists target_info's job; recording rules evaluate.
    assert.ok((await promQuery(base, 'target_info{job="app"}')).length > 0, 'target_info feeds the job variable');
    await waitFor(async () => (await promQuery(base, 'job:http_server_requests:rate1m')).length > 0, 10000);

    // Exemplars stored with the label the Grafana datasource maps to Tempo (trace_id).
    const now = Date.now() / 1000;
    const ex = await fetch(
      `${base}/api/v1/query_exemplars?query=${encodeURIComponent('operation_duration_seconds_bucket')}&start=${now - 120}&end=${now + 5}`,
    ).then((r) => r.json());
    const first = ex.data?.[0]?.exemplars?.[0];
    assert.match(first?.labels?.trace_id ?? '', /^[0-9a-f]{32}$/, `an exemplar with trace_id: ${JSON.stringify(ex).slice(0, 300)}`);
  },
);
