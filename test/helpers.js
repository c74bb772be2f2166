// Shared test helpers: free ports, child apps under --import ./register, HTTP polling.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start `node [--import ./register] file` from the repo root. Returns the child with
 * `stdout`/`stderr` accumulated as strings in `out.stdout` / `out.stderr`, and `stop()`.
 */
export function startApp(file, { env = {}, register = true, args = [], nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...(register ? ['--import', './register'] : []), ...nodeArgs, file, ...args], {
    cwd: ROOT,
    env: { ...process.env, MONITORING_STRICT: '', OTEL_LOG_LEVEL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    out,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 10000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** Poll `url` until it answers (any status) or `timeoutMs` passes. */
export async function waitForHttp(url, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2000) });
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${last?.message}`);
}

/** Poll `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(fn, timeoutMs = 15000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/**
 * The warnings @socketcomm/monitoring reports in this process (bad arguments, runtime problems),
 * on the channel a user sees them: Node's process warnings of type MonitoringWarning while no SDK
 * runs, the diag logger's line on stderr once one does (register, or a shared collector's first
 * export). Process warnings are emitted on the next tick: read them through
 * `await warnings.matching(re)`.
 */
export function captureWarnings() {
  const messages = [];
  process.on('warning', (w) => {
    if (w.name === 'MonitoringWarning') messages.push(w.message);
  });
  // The diag console logger keeps the console methods it found at load, so read its lines where
  // they end up, on stderr.
  const write = process.stderr.write;
  process.stderr.write = function (chunk, ...rest) {
    for (const line of String(chunk).split('\n')) {
      if (line.startsWith(DIAG_PREFIX)) messages.push(line.slice(DIAG_PREFIX.length).replace(DIAG_NOTE, ''));
    }
    return write.call(this, chunk, ...rest);
  };
  return {
    messages,
    /** The messages matching `re`, once the pending warnings have been emitted. */
    async matching(re) {
      await new Promise((r) => setImmediate(r));
      return messages.filter((m) => re.test(m));
    },
  };
}
const DIAG_PREFIX = '@socketcomm/monitoring: ';
// What the SDK's deduping diag logger appends (src/sdk/diag.ts).
const DIAG_NOTE = / \((repeats of this message are suppressed for an hour|\d+ similar messages suppressed in the last hour)\)$/;

/**
 * How late this process's timers have run since the call, in ms: the margin a timing assertion
 * needs on a loaded machine, where a 300 ms timeout can fire hundreds of ms late without a bug.
 * Whatever held this process back (other processes on the cores, a GC pause) delayed the sampling
 * timer too. It cannot excuse code that waits on a timer it should not have (that waiting is not
 * lateness), only code that blocks the loop itself. `lag.ms()` is the total so far.
 */
export function timerLag(resolution = 10) {
  const h = monitorEventLoopDelay({ resolution });
  h.enable();
  return {
    ms() {
      // Each sample is one sampling interval: what exceeds the resolution is lateness.
      return h.count === 0 ? 0 : Math.max(0, (h.mean * h.count) / 1e6 - h.count * resolution);
    },
    stop() {
      h.disable();
    },
  };
}

/**
 * A browser page at `url` (a playwright `browser`) that records console errors, uncaught errors
 * and every request URL. `headers` go with every request (extraHTTPHeaders).
 */
export async function openRecordedPage(browser, url, { headers, acceptDownloads = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: headers, acceptDownloads });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, problems, requests };
}
