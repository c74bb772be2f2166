// docs/configuration.md, the switches seen on /metrics and /status: OTEL_NODE_RESOURCE_DETECTORS,
// MONITORING_NETWORK_METRICS, MONITORING_EXEMPLARS=false, "empty means unset", and
// MONITORING_ESM_HOOK (auto / always / never) seen in which libraries get instrumented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, waitFor } from '../helpers.js';

const QUIET = {
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  MONITORING_PORT: '0',
  MONITORING_HOST: '127.0.0.1',
};

async function startSwitches(env) {
  const app = startApp('test/promises/fixtures/switches-app.mjs', { env: { ...QUIET, ...env } });
  const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.startsWith('{"url"')), 15000);
  return { app, base: JSON.parse(line).url };
}

const scrape = async (base, accept = 'text/plain') => (await fetch(`${base}/metrics`, { headers: { Accept: accept } })).text();
/** target_info's labels as an object. */
const targetInfo = (text) => {
  const line = text.split('\n').find((l) => l.startsWith('target_info{'));
  return Object.fromEntries([...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
};

test('resource detectors, network metrics, exemplars: the defaults, then OTEL_NODE_RESOURCE_DETECTORS=env,host, MONITORING_NETWORK_METRICS=true, MONITORING_EXEMPLARS=false', async (t) => {
  const [plain, switched] = await Promise.all([
    // Empty means unset: these three are the defaults (2000 / 1000 / 10), not 0.
    startSwitches({
      MONITORING_RECENT_SPANS: '',
      MONITORING_RECENT_LOGS: '',
      MONITORING_UI_TRACES_PER_SECOND: '',
      OTEL_RESOURCE_ATTRIBUTES: 'team=core',
    }),
    startSwitches({
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host',
      MONITORING_NETWORK_METRICS: 'true',
      MONITORING_EXEMPLARS: 'false',
      OTEL_RESOURCE_ATTRIBUTES: 'team=core',
    }),
  ]);
  t.after(() => Promise.all([plain.app.stop(), switched.app.stop()]));
  // Host metrics start a second after start.
  const hostMetrics = (base) =>
    waitFor(
      async () => {
        const text = await scrape(base);
        return text.includes('system_cpu_time_seconds_total') && text;
      },
      10000,
      200,
    );
  const [plainText, switchedText] = await Promise.all([hostMetrics(plain.base), hostMetrics(switched.base)]);

  const p = targetInfo(plainText);
  for (const k of ['host_name', 'os_type', 'process_pid', 'process_runtime_name', 'service_instance_id', 'team'])
    assert.ok(k in p, `default detectors: ${k} in ${JSON.stringify(p)}`);
  assert.equal(p.process_pid, String(plain.app.child.pid));
  assert.ok(!('process_command_args' in p), 'command lines never leave the process');
  const s = targetInfo(switchedText);
  assert.ok('host_name' in s && s.team === 'core', `env and host detectors: ${JSON.stringify(s)}`);
  for (const k of ['os_type', 'process_pid', 'process_runtime_name', 'service_instance_id'])
    assert.ok(!(k in s), `${k} without its detector: ${JSON.stringify(s)}`);

  assert.ok(!plainText.includes('system_network_'), 'no network metrics by default');
  const net = await waitFor(async () => (await scrape(switched.base)).includes('system_network_io_total'), 10000, 200).catch(() => false);
  assert.ok(net, 'MONITORING_NETWORK_METRICS=true adds system.network.*');

  const exemplar = /^switch_latency_seconds_bucket\{.*\} 1 # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} 0\.02 /m;
  assert.match(await scrape(plain.base, 'application/openmetrics-text'), exemplar);
  const off = await scrape(switched.base, 'application/openmetrics-text');
  assert.match(off, /^switch_latency_seconds_bucket\{.*le="0\.025"\} 1$/m, 'the observation is there');
  assert.ok(!off.includes('# {trace_id='), 'MONITORING_EXEMPLARS=false: no exemplar');

  const status = await (await fetch(`${plain.base}/status`)).json();
  assert.ok(
    status.spans.some((x) => x.name === 'switch-op'),
    'empty MONITORING_RECENT_SPANS keeps the default budget',
  );
});

test('MONITORING_ESM_HOOK: auto hooks an ESM entry point; always also a CommonJS one that imports ESM; never hooks nothing', async () => {
  const run = async (file, mode) => {
    const app = startApp(file, { env: { ...QUIET, ...(mode ? { MONITORING_ESM_HOOK: mode } : {}) } });
    const { code } = await app.exited;
    assert.equal(code, 0, app.out.stderr);
    const line = app.out.stdout.split('\n').find((l) => l.startsWith('{"scopes"'));
    assert.ok(line, app.out.stdout);
    return JSON.parse(line).scopes;
  };
  const ESM = 'test/promises/fixtures/esm-express.mjs';
  const CJS = 'test/promises/fixtures/esm-entry.cjs';
  const [autoEsm, neverEsm, alwaysCjs, autoCjs] = await Promise.all([run(ESM), run(ESM, 'never'), run(CJS, 'always'), run(CJS)]);
  const express = '@opentelemetry/instrumentation-express';
  // The http server span is made either way (node:http is patched without the hook).
  for (const scopes of [autoEsm, neverEsm, alwaysCjs, autoCjs])
    assert.ok(scopes.includes('@opentelemetry/instrumentation-http'), JSON.stringify(scopes));
  assert.ok(autoEsm.includes(express), `auto, .mjs entry: express instrumented (${autoEsm})`);
  assert.ok(alwaysCjs.includes(express), `always, .cjs entry importing ESM: express instrumented (${alwaysCjs})`);
  assert.ok(!neverEsm.includes(express), `never: an ESM import of express is not seen (${neverEsm})`);
  assert.ok(!autoCjs.includes(express), `auto, .cjs entry: no hook, so the ESM import of express is not seen (${autoCjs})`);
});
