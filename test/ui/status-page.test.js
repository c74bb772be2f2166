// The built-in status page in a real browser (Debian chromium via playwright-core) against a
// fixture app under `node --import ./register`. The token is set, so even loopback clients are
// unauthorized without the bearer: one context sends it, one does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, openRecordedPage, startApp, waitFor, ROOT } from '../helpers.js';

const TOKEN = 'ui-test-token-7f3a';
const XSS = '<img src=x onerror=window.__pwned=1>';
let app;
let browser;
let base;
let ids;

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = startApp('test/ui/fixtures/app.mjs', {
    env: {
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      MONITORING_AUTH_TOKEN: TOKEN,
      MONITORING_UI_SAMPLE_MS: '200',
      OTEL_SERVICE_NAME: 'checkout-demo',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.4.2,deployment.environment.name=dev',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      FIXTURE_LIFETIME_MS: '60000',
    },
  });
  const line = await waitFor(() => app.out.stdout.split('\n').find((l) => l.includes('"ready":true')), 15000);
  ids = JSON.parse(line);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** A page that records console errors, uncaught errors and every request URL. */
const openPage = (headers) => openRecordedPage(browser, `${base}/`, { headers });

const rowsOf = (page) =>
  page.$$eval('#waterfall .wf-row', (rows) =>
    rows.map((r) => ({
      name: r.querySelector('.wf-name').textContent,
      id: r.getAttribute('data-span-id'),
      parent: r.getAttribute('data-parent-id'),
      depth: Number(r.getAttribute('data-depth')),
    })),
  );

async function selectTrace(page, traceId) {
  await page.click(`#traces-table tr[data-trace-id="${traceId}"]`);
  await page.waitForSelector(`#trace-id:text("${traceId}")`);
  await page.waitForSelector('#waterfall .wf-row');
}

test('authorized: checks, sparkline, nested waterfall with its logs, escaping, offline', async () => {
  const { context, page, problems, requests } = await openPage({ Authorization: `Bearer ${TOKEN}` });
  try {
    // Overview: service identity, the app's own check, the readiness dependency with its password masked.
    await page.waitForSelector('#health-table tr[data-check="fixture_cache"]');
    assert.equal(await page.textContent('#svc-name'), 'checkout-demo');
    assert.match(await page.textContent('#svc-meta'), /v1\.4\.2/);
    assert.match(await page.textContent('#health-table tr[data-check="fixture_cache"]'), /healthy.*cache warm \(42 entries\)/);
    await page.waitForSelector('#ready-table tr[data-check="fixture_api"]');
    const dep = await page.textContent('#ready-table tr[data-check="fixture_api"]');
    assert.match(dep, /fixture:\*\*\*@127\.0\.0\.1/);
    assert.ok(!(await page.content()).includes('s3cret-pw'), 'the dependency password never reaches the page');

    // Instrumentations: those whose library the app loaded are active, with its version; the others wait for theirs.
    await page.waitForSelector('#instr-table tr[data-instrumentation="pino"]');
    const pinoVersion = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/pino/package.json'), 'utf8')).version;
    assert.match(
      await page.textContent('#instr-table tr[data-instrumentation="pino"]'),
      new RegExp(`pino\\s*active\\s*pino ${pinoVersion.replaceAll('.', '\\.')}`),
    );
    assert.match(await page.textContent('#instr-table tr[data-instrumentation="http"]'), /active/);
    assert.match(await page.textContent('#instr-table tr[data-instrumentation="mysql2"]'), /waiting.*its library is not loaded/);
    assert.match(await page.textContent('#instr-table tr[data-instrumentation="fs"]'), /off/);
    assert.match(await page.textContent('#instr-note'), /\d+ active of \d+ enabled/);

    // Configuration: each part with where it came from, the monitoring token hidden.
    await page.waitForSelector('#config-table tr[data-config-part="monitoring"]');
    assert.match(await page.textContent('#config-note'), /from the environment/);
    const monitoring = await page.textContent('#config-table tr[data-config-part="monitoring"]');
    assert.match(monitoring, /monitoring\s*environment/);
    assert.match(monitoring, /"authToken": "\[REDACTED\]"/);
    assert.ok(!(await page.content()).includes(TOKEN), 'the token never reaches the page');

    // Metrics: a counter whose sparkline has points after a few 200 ms samples.
    await page.fill('#metric-filter', 'fixture.');
    await page.waitForFunction(
      () => {
        const svg = document.querySelector('tr[data-metric="fixture.requests"] svg.sparkline');
        return svg && Number(svg.getAttribute('data-points')) >= 3 && svg.querySelector('polyline');
      },
      null,
      { timeout: 15000 },
    );
    const visible = await page.$$eval('#metrics-table tr[data-metric]', (rs) => rs.map((r) => r.getAttribute('data-metric')));
    assert.ok(visible.length > 0 && visible.every((n) => n.startsWith('fixture.')), `filter keeps only matching series: ${visible}`);
    const hist = await page.textContent('tr[data-metric="fixture.work.duration"]');
    assert.match(hist, /histogram/);

    // Traces: the order trace nests root > load order > (db.query, cache.set) and shows its two log lines only.
    await page.waitForSelector(`#traces-table tr[data-trace-id="${ids.order}"]`);
    await selectTrace(page, ids.order);
    const rows = await rowsOf(page);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    assert.deepEqual(
      rows.map((r) => [r.name, r.depth]),
      [
        ['GET /orders/:id', 0],
        ['load order', 1],
        ['db.query SELECT orders', 2],
        ['cache.set', 2],
      ],
    );
    assert.equal(by['load order'].parent, by['GET /orders/:id'].id);
    assert.equal(by['db.query SELECT orders'].parent, by['load order'].id);
    assert.equal(by['cache.set'].parent, by['load order'].id);
    const logs = await page.$$eval('#trace-logs tr[data-log] .log-msg', (c) => c.map((x) => x.textContent));
    assert.deepEqual(logs, ['order request received', 'order row loaded']);
    // Attributes on demand.
    await page.click(`#waterfall .wf-row[data-span-id="${by['db.query SELECT orders'].id}"]`);
    assert.match(await page.textContent(`[data-detail-for="${by['db.query SELECT orders'].id}"]`), /db\.system\s*postgresql/);

    // An error trace: the exception event shows on demand.
    await selectTrace(page, ids.failing);
    const charge = (await rowsOf(page)).find((r) => r.name === 'charge card');
    await page.click(`#waterfall .wf-row[data-span-id="${charge.id}"]`);
    assert.match(await page.textContent(`[data-detail-for="${charge.id}"] .exception`), /Error: card declined/);

    // Hostile span name and log message render as text and run nothing.
    await selectTrace(page, ids.hostile);
    assert.equal((await rowsOf(page))[0].name, XSS);
    assert.deepEqual(await page.$$eval('#trace-logs tr[data-log] .log-msg', (c) => c.map((x) => x.textContent)), [
      `hostile message ${XSS}`,
    ]);
    await page.waitForSelector(`#latency-table tr[data-span-name="${XSS}"]`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    // Latency table links to an example trace.
    await page.click('#latency-table tr[data-span-name="POST /payments"] button');
    await page.waitForSelector(`#trace-id:text("${ids.failing}")`);

    // Screenshot for README: the order trace selected.
    await selectTrace(page, ids.order);
    await page.click(`#waterfall .wf-row[data-span-id="${by['db.query SELECT orders'].id}"]`);
    await page.evaluate(() => window.scrollTo(0, 0));
    // Written to the temp dir on every run (and checked to exist); MONITORING_UPDATE_SCREENSHOT=1
    // refreshes the committed docs/status-page.png instead.
    const shot =
      process.env.MONITORING_UPDATE_SCREENSHOT === '1' ? path.join(ROOT, 'docs/status-page.png') : path.join(tmpdir(), 'status-page.png');
    mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'screenshot written');

    assert.deepEqual(problems, []);
    const foreign = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'no request leaves 127.0.0.1');
    assert.ok(requests.some((u) => u.endsWith('/api/trace?id=' + ids.order)));
  } finally {
    await context.close();
  }
});

test('unauthorized: statuses only, and the page says how to authorize', async () => {
  const { context, page, problems } = await openPage(undefined);
  try {
    await page.waitForSelector('#auth-banner:not([hidden])');
    assert.match(await page.textContent('#auth-banner'), /Authorization: Bearer <MONITORING_AUTH_TOKEN>/);
    await page.waitForSelector('#health-table tr[data-check="fixture_cache"]');
    assert.match(await page.textContent('#health-badge'), /health: (healthy|degraded|unhealthy)/);
    const html = await page.content();
    for (const secret of ['cache warm', 'fixture.requests', ids.order, 'order request received', 'checkout-demo', '127.0.0.1:']) {
      assert.ok(!html.includes(secret), `unauthorized page shows no "${secret}"`);
    }
    assert.match(await page.textContent('#metrics-table'), /hidden: not authorized/);
    assert.match(await page.textContent('#instr-table'), /hidden: not authorized/);
    assert.match(await page.textContent('#config-table'), /hidden: not authorized/);
    assert.equal(await page.$$eval('#traces-table tr[data-trace-id]', (r) => r.length), 0);
    // The routes themselves refuse details, whatever a client does.
    for (const p of ['/api/metrics', '/api/traces', `/api/trace?id=${ids.order}`, '/api/latency']) {
      const body = await (await fetch(base + p)).json();
      assert.deepEqual(Object.keys(body).sort(), ['authorized', 'howToAuthorize'], p);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('/ answers JSON to non-browsers, and the page assets carry the CSP', async () => {
  const index = await fetch(`${base}/`);
  assert.match(index.headers.get('content-type'), /application\/json/);
  assert.ok((await index.json()).routes.some((r) => r.path === '/api/traces'));
  for (const p of ['/', '/ui/app.js', '/ui/app.css']) {
    const r = await fetch(base + p, { headers: { Accept: 'text/html' } });
    assert.equal(r.status, 200, p);
    assert.equal(
      r.headers.get('content-security-policy').split(';')[0] +
        ';' +
        r.headers.get('content-security-policy').split(';').slice(1, 5).join(';'),
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'",
    );
    await r.arrayBuffer();
  }
});
