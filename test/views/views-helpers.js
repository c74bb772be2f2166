// Starting an app whose metric views come from an OTEL_CONFIG_FILE (`meter_provider.views`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

/**
 * Writes a configuration file (`file_format: "1.0"`, the given views, a `pull` reader naming
 * the monitoring server's /metrics address, more `readers`, the service name) and starts
 * `node --import ./register file` with it.
 */
export async function startWithViews(file, views, { readers = [], service = 'views-test', env = {}, ready = 'ready' } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'views-'));
  const configFile = path.join(dir, 'otel.yaml');
  const port = await freePort();
  const pull = { pull: { exporter: { 'prometheus/development': { host: '127.0.0.1', port } } } };
  const yaml = [
    'file_format: "1.0"',
    'resource:',
    '  attributes:',
    `    - { name: service.name, value: ${JSON.stringify(service)} }`,
    'meter_provider:',
    `  readers: ${JSON.stringify([pull, ...readers])}`,
    `  views: ${JSON.stringify(views)}`,
  ].join('\n');
  writeFileSync(configFile, yaml + '\n');
  const appPort = await freePort();
  const app = startApp(file, {
    env: { OTEL_CONFIG_FILE: configFile, APP_PORT: String(appPort), ...env },
  });
  const stop = app.stop.bind(app);
  app.stop = async (...args) => {
    const r = await stop(...args);
    rmSync(dir, { recursive: true, force: true });
    return r;
  };
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health/live`, 20000);
  if (ready) await waitFor(() => app.out.stdout.includes(ready), 20000);
  return { app, base, appBase: `http://127.0.0.1:${appPort}` };
}

/** The sample lines of one Prometheus family (name without suffixes). */
export function samples(text, family) {
  return text.split('\n').filter((l) => l.startsWith(family + '{') || l.startsWith(family + '_'));
}

/** The `le` values of a histogram family's bucket lines, in order, once each. */
export function les(text, family) {
  return [...new Set(samples(text, `${family}_bucket`).map((l) => /le="([^"]+)"/.exec(l)[1]))];
}
