// The status page's Profiles section in a real browser (Debian chromium via playwright-core)
// against the profiling fixture under `node --import ./register`: the buttons run a profile
// through /debug/pprof, the page draws the flame graph itself (the busy function in it, markup
// in names shown as text), searches it, links both downloads and shows CPU by operation with a
// link to an example trace. Hidden without authorization and with MONITORING_PROFILING=false.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, openRecordedPage } from '../helpers.js';
import { startFixture, underLoad } from './fixture.js';

const TOKEN = 'profile-page-token-5d1e';
const XSS = '<img src=x onerror=window.__pwned=1>';
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
});
after(() => browser?.close());

/** The status page, recording problems and requests, once its first refresh is drawn. */
async function open(base, headers) {
  const opened = await openRecordedPage(browser, `${base}/`, { headers, acceptDownloads: true });
  await opened.page.waitForSelector('body[data-loaded]');
  return opened;
}

test('CPU profile button: flame graph with the busy function, search, downloads, CPU by operation', async () => {
  // Loopback without a token: Playwright's header injection (extraHTTPHeaders) cancels downloads.
  const { app, base, appBase } = await startFixture({});
  const { context, page, problems, requests } = await open(base);
  try {
    await page.waitForSelector('#profiles:not([hidden])');
    assert.equal(await page.inputValue('#profile-seconds'), '10', 'a 10 s profile by default');
    await page.fill('#profile-seconds', '2');
    await underLoad(appBase, ['/busy?ms=30', '/hostile'], async () => {
      await page.click('#cpu-profile');
      assert.equal(await page.isDisabled('#heap-profile'), true, 'one profile at a time');
      await page.waitForSelector('#profile-result[data-kind="cpu"]:not([hidden])', { timeout: 20000 });
    });
    const id = await page.getAttribute('#profile-result', 'data-profile-id');
    assert.match(id, /^\d+$/);

    // The flame graph: the busy function, and the hostile name as text.
    const names = await page.$$eval('#flame .fl-frame', (fs) => fs.map((f) => f.getAttribute('data-name')));
    assert.ok(names.includes('burnCpuForProfile'), `busy function drawn: ${names.slice(0, 20)}`);
    assert.ok(names.includes('hostileScriptForProfile'), `the function of the markup-named script is drawn: ${names}`);
    const hostileTitle = await page.getAttribute('#flame .fl-frame[data-name="hostileScriptForProfile"]', 'title');
    assert.ok(hostileTitle.includes(XSS + ':1'), hostileTitle);
    await page.hover('#flame .fl-frame[data-name="hostileScriptForProfile"]');
    assert.ok((await page.textContent('#flame-detail')).includes(XSS), 'the detail line shows the script URL as text');
    const text = await page.$eval(`#flame .fl-frame[data-name="burnCpuForProfile"]`, (f) => f.textContent);
    assert.equal(text, 'burnCpuForProfile');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    // Search marks the matching frames and says their share.
    await page.fill('#flame-search', 'burnCpu');
    await page.waitForSelector('#flame .fl-frame.match');
    const marked = await page.$$eval('#flame .fl-frame.match', (fs) => fs.map((f) => f.getAttribute('data-name')));
    assert.ok(marked.length > 0 && marked.every((n) => n === 'burnCpuForProfile'), String(marked));
    const share = Number(/([\d.]+) %/.exec(await page.textContent('#flame-match'))[1]);
    assert.ok(share > 50, `burnCpuForProfile holds most of the CPU time: ${share} %`);

    // Zoom: a click on the busy function makes it the full width; a click on the root zooms out.
    await page.click('#flame .fl-frame[data-name="burnCpuForProfile"]');
    const width = await page.$eval('#flame .fl-frame[data-name="burnCpuForProfile"]', (f) => f.style.width);
    assert.match(width, /^100(\.0+)?%$/);
    await page.click('#flame .fl-frame[data-name="all"]');

    // CPU by operation: the busy span first, its example trace opens in the trace view.
    await page.waitForSelector('#operations-table tr[data-operation="busy work"]');
    const first = await page.$eval('#operations-table tbody tr', (tr) => tr.getAttribute('data-operation'));
    assert.equal(first, 'busy work');
    assert.equal(
      await page.$$eval(
        '#operations-table tr[data-operation]',
        (rs) => rs.filter((r) => r.getAttribute('data-operation') === '<img src=x onerror=window.__pwned=1>').length,
      ),
      1,
    );
    const traceId = await page.textContent('#operations-table tr[data-operation="busy work"] button');
    await page.click('#operations-table tr[data-operation="busy work"] button');
    await page.waitForSelector(`#trace-id:text("${traceId}")`);
    await page.waitForSelector('#waterfall .wf-row .wf-name:text("busy work")');

    // Screenshot of the section (the temp dir on every run; MONITORING_UPDATE_SCREENSHOT=1
    // refreshes the committed docs/profiling.png instead).
    await page.fill('#flame-search', 'burnCpu');
    const shot =
      process.env.MONITORING_UPDATE_SCREENSHOT === '1' ? path.join(ROOT, 'docs/profiling.png') : path.join(tmpdir(), 'profiling-page.png');
    await (await page.$('#profiles')).screenshot({ path: shot });
    assert.ok(statSync(shot).size > 10_000, 'screenshot written');

    // Both downloads: the pprof (gzip) and the DevTools JSON of the same profile.
    assert.equal(await page.getAttribute('#dl-pprof', 'href'), `debug/pprof/latest?id=${id}&format=pprof`);
    const [pprof] = await Promise.all([page.waitForEvent('download'), page.click('#dl-pprof')]);
    assert.match(pprof.suggestedFilename(), /^cpu-.*\.pb\.gz$/);
    const [devtools] = await Promise.all([page.waitForEvent('download'), page.click('#dl-devtools')]);
    assert.match(devtools.suggestedFilename(), /^cpu-.*\.cpuprofile$/);
    assert.deepEqual([...(await readFile(await pprof.path())).subarray(0, 2)], [0x1f, 0x8b]);
    assert.ok(Array.isArray(JSON.parse(await readFile(await devtools.path(), 'utf8')).timeDeltas));

    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:')),
      [],
      'nothing but the monitoring server',
    );
  } finally {
    await context.close();
    await app.stop();
  }
});

test('heap profile button: the allocating function in the flame graph, no CPU by operation', async () => {
  const { app, base, appBase } = await startFixture({});
  const { context, page, problems } = await open(base);
  try {
    await page.waitForSelector('#profiles:not([hidden])');
    await page.fill('#profile-seconds', '1');
    await underLoad(appBase, ['/hoard?n=20000'], async () => {
      await page.click('#heap-profile');
      await page.waitForSelector('#profile-result[data-kind="heap"]:not([hidden])', { timeout: 20000 });
    });
    await page.waitForSelector('#flame .fl-frame[data-name="hoardObjectsForProfile"]');
    assert.match(await page.textContent('#profile-title'), /Heap profile: [\d.]+ (KiB|MiB)/);
    assert.equal(await page.isHidden('#operations-box'), true);
    assert.match(await page.getAttribute('#dl-devtools', 'href'), /format=heapprofile$/);
    // A second click while nothing runs is allowed again; bad seconds are refused by the page.
    await page.fill('#profile-seconds', '0');
    await page.click('#cpu-profile');
    assert.match(await page.textContent('#profile-status'), /seconds must be/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await app.stop();
  }
});

test('no Profiles section without authorization or with MONITORING_PROFILING=false', async () => {
  const secured = await startFixture({ MONITORING_AUTH_TOKEN: TOKEN });
  const off = await startFixture({ MONITORING_PROFILING: 'false' });
  try {
    for (const [base, headers, why] of [
      [secured.base, undefined, 'unauthorized'],
      [off.base, undefined, 'profiling off'],
    ]) {
      const { context, page, problems } = await open(base, headers);
      try {
        assert.equal(await page.isHidden('#profiles'), true, why);
        assert.equal(await page.isHidden('#nav-profiles'), true, why);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  } finally {
    await secured.app.stop();
    await off.app.stop();
  }
});
