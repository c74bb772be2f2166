// Helpers for the example tests: start an example on free ports, read its JSON log lines,
// fetch JSON, check the stop on SIGTERM.
import assert from 'node:assert/strict';
import { startApp, freePort, waitFor } from '../helpers.js';

/** Start `examples/<file>` with free APP_PORT / MONITORING_PORT. */
export async function startExample(file, { register = true, env = {} } = {}) {
  const appPort = await freePort();
  const monitoringPort = await freePort();
  const app = startApp(`examples/${file}`, {
    register,
    env: { APP_PORT: String(appPort), MONITORING_PORT: String(monitoringPort), MONITORING_HEALTH_INTERVAL_MS: '0', ...env },
  });
  return { ...app, appUrl: `http://127.0.0.1:${appPort}`, monitoringUrl: `http://127.0.0.1:${monitoringPort}` };
}

/** Every stdout line parsed as JSON; a line that is not JSON fails the test. */
export function jsonLines(app) {
  return app.out.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        assert.fail(`stdout line is not JSON: ${l}`);
      }
    });
}

/** Wait until a log line with `msg` appears; returns it. */
export function waitForLog(app, msg, timeoutMs = 15000) {
  return waitFor(() => jsonLines(app).find((l) => l.msg === msg), timeoutMs).catch((e) => {
    assert.fail(`no log line "${msg}" (${e.message})\nstdout:\n${app.out.stdout}\nstderr:\n${app.out.stderr}`);
  });
}

export async function getJson(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function getText(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export const TRACE_ID = /^[0-9a-f]{32}$/;

// The default checks that only degrade the overall status when they fail (src/health/health-checker.ts).
const NON_CRITICAL = new Set(['system_resources']);

/**
 * /health over the default checks reads this machine (load, memory, disk), so which status it
 * reports is not fixed; the answer must still agree with its checks: the overall status is the
 * worst critical check (a failing non-critical one degrades), and the HTTP status is 503 exactly
 * when that is unhealthy.
 */
export function assertHealthAnswer({ status, body }) {
  const states = Object.entries(body.checks).map(([name, c]) =>
    NON_CRITICAL.has(name) && c.status === 'unhealthy' ? 'degraded' : c.status,
  );
  const overall = states.includes('unhealthy') ? 'unhealthy' : states.includes('degraded') ? 'degraded' : 'healthy';
  assert.equal(body.status, overall, `overall status from the checks ${JSON.stringify(body.checks)}`);
  assert.equal(status, overall === 'unhealthy' ? 503 : 200, `HTTP status for ${overall}`);
}

/** SIGTERM: exit 0 (the app's own graceful stop) or 143 (register's), and a silent stderr. */
export async function assertCleanStop(app, codes = [0]) {
  const { code, signal } = await app.stop('SIGTERM', 10000);
  assert.equal(signal, null, `killed by ${signal}\nstderr:\n${app.out.stderr}`);
  assert.ok(codes.includes(code), `exit code ${code}, expected ${codes.join('/')}\nstderr:\n${app.out.stderr}`);
  assert.equal(app.out.stderr, '', 'nothing on stderr');
  jsonLines(app); // every stdout line is JSON: a raw stack trace would fail here
}

/** A series of the JSON summary. */
export function series(summary, name, match = {}) {
  return summary.series.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.attributes[k] === v));
}

/** Recent spans from /status (loopback is authorized). */
export async function recentSpans(monitoringUrl, n = 500) {
  const { status, body } = await getJson(`${monitoringUrl}/status?spans=${n}`);
  assert.equal(status, 200);
  assert.ok(Array.isArray(body.spans), '/status lists recent spans to a loopback client');
  return body.spans;
}
