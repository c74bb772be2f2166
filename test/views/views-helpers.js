// Starting an app with metric views: the views are given as the configuration file's
// `meter_provider.views` (snake_case) and reach the app through the seam src/config/ uses.
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

/** `node --import set-views --import ./register file`, monitoring on a free port. */
export async function startWithViews(file, views, { env = {}, ready = 'ready' } = {}) {
  const port = await freePort();
  const appPort = await freePort();
  const app = startApp(file, {
    register: false,
    nodeArgs: ['--import', './test/views/fixtures/set-views.mjs', '--import', './register'],
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      APP_PORT: String(appPort),
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      VIEWS_JSON: JSON.stringify(views),
      ...env,
    },
  });
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
