// Starting test/ttl/fixtures/ttl-app.mjs under register and talking to it.
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

export async function startTtlApp(env = {}) {
  const port = await freePort();
  const appPort = await freePort();
  const app = startApp('test/ttl/fixtures/ttl-app.mjs', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      MONITORING_SYSTEM_METRICS: 'false',
      APP_PORT: String(appPort),
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  const appBase = `http://127.0.0.1:${appPort}`;
  await waitForHttp(`${base}/health/live`, 20000);
  await waitFor(() => app.out.stdout.includes('ready'), 20000);
  const call = async (path) => (await fetch(appBase + path)).text();
  return {
    app,
    base,
    call,
    record: (name, id, value = 1) => call(`/record?name=${name}&id=${id}&value=${value}`),
    advance: (ms) => call(`/advance?ms=${ms}`),
    store: async () => JSON.parse(await call('/store')),
    prometheus: async (format = 'prometheus') => (await fetch(`${base}/metrics?format=${format}`)).text(),
    json: async () => (await fetch(`${base}/metrics`)).json(),
  };
}

/** The value of the one sample line matching `re` (a RegExp source), or undefined. */
export function sample(text, re) {
  const m = new RegExp(`^${re} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}
