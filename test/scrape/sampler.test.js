// The status page's metric history samples every series on its own timer: at 100,000 counter
// and 20,000 histogram series it records in time slices, so the app's loop is never held over
// 25 ms by it (a 1 ms timer in the app, the main thread's CPU time between its runs, the longest
// over several samples; one sample in one piece held it 40-55 ms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startApp, waitFor, waitForHttp } from '../helpers.js';

test('the history sampler never holds the loop over 25 ms at 120,000 series', async () => {
  const port = await freePort();
  const appPort = await freePort();
  const app = startApp('test/scrape/fixtures/many-series.mjs', {
    env: {
      MONITORING_PORT: String(port),
      APP_PORT: String(appPort),
      COUNTERS: '100000',
      HISTOGRAMS: '20000',
      MONITORING_SYSTEM_METRICS: 'false',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      MONITORING_HEALTH_INTERVAL_MS: '0',
      MONITORING_UI_SAMPLE_MS: '300',
    },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health/live`, 30000);
    await waitFor(() => app.out.stdout.includes('ready'), 30000);
    const gap = async () => (await fetch(`http://127.0.0.1:${appPort}/gap`)).json();
    await gap();
    // Several samples (one every 300 ms, each taking a while at this size).
    const until = Date.now() + 4000;
    const cpu = [];
    const wall = [];
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 1000));
      const g = await gap();
      cpu.push(g.cpu);
      wall.push(g.wall);
    }
    console.log(
      `sampler: longest CPU gap per second ${cpu.map((x) => x.toFixed(1)).join(', ')} ms (wall ${wall.map((x) => x.toFixed(1)).join(', ')})`,
    );
    assert.ok(Math.max(...cpu) <= 25, `loop held ${Math.max(...cpu).toFixed(1)} ms by the sampler`);
  } finally {
    await app.stop();
  }
});
