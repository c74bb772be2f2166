// Starting the profiling fixture (test/profiling/fixtures/app.mjs) under register, and loading it.
import { freePort, startApp, waitFor } from '../helpers.js';

/** The fixture with its monitoring server on a free port; `base` is that server, `appBase` the app's own. */
export async function startFixture(env = {}) {
  const port = await freePort();
  const app = startApp('test/profiling/fixtures/app.mjs', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
  });
  const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.includes('"ready":true')), 15000);
  return { app, base: `http://127.0.0.1:${port}`, appBase: `http://127.0.0.1:${JSON.parse(line).port}` };
}

/** `fn()` while the app gets requests on `paths` in turn, one after another (at most 400). */
export async function underLoad(appBase, paths, fn) {
  let done = false;
  const load = (async () => {
    for (let i = 0; i < 400 && !done; i++) await (await fetch(appBase + paths[i % paths.length])).text();
  })();
  try {
    return await fn();
  } finally {
    done = true;
    await load;
  }
}
