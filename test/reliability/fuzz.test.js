// Hostile input on the monitoring server (127.0.0.1 only): 10,000 generated requests over raw
// sockets — random methods and paths, bad percent-encoding, traversal, NUL bytes, 8 KiB+
// URLs, huge and duplicated headers, invalid Accept, pipelined and half-closed connections —
// plus slowloris clients and custom handlers that throw, loop or never resolve. Every answer
// is a valid response or a JSON error with no stack trace or file path; the server never
// crashes, its memory stays flat and /health/live keeps answering meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { freePort, startApp, waitFor } from '../helpers.js';
import { figure, MB, rssOf, SOAK } from './lib.js';

const TOTAL = SOAK ? 50_000 : 10_000;
// A stack trace anywhere; a file path in an error body. (Valid bodies may name directories on
// purpose: /metrics has system.filesystem.mountpoint.)
const STACK = /node:internal|\n\s+at |\bat [\w.<>]+ \(|\.[cm]?js:\d+/;
const PATH = /\/work\/|\/home\/|\/usr\/|node_modules/;
const ROUTES = [
  '/',
  '/health',
  '/health/live',
  '/health/ready',
  '/metrics',
  '/status',
  '/custom/ok',
  '/custom/throws',
  '/custom/rejects',
  '/custom/circular',
  '/custom/garbage',
  '/custom/badstatus',
  '/custom/getter',
  '/nope',
];
const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'get',
  'G\u00c9T',
  'X'.repeat(300),
  '',
  'GET /',
];
const ACCEPTS = [
  '*/*',
  'text/plain',
  'application/openmetrics-text; version=1.0.0',
  'application/health+json',
  'text/html',
  '\u0000\u0001',
  ';;;;',
  'x'.repeat(5000),
  'text/plain;q=abc, */*;q=-1',
  'application/json, text/plain;version=0.0.4',
];

let seed = 12345;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pick = (a) => a[rnd(a.length)];

function randomPath() {
  const base = pick(ROUTES);
  switch (rnd(16)) {
    case 0:
      return base + '/..' + '/%2e%2e/%2E%2E/etc/passwd';
    case 1:
      return base + '%';
    case 2:
      return base + '%zz%c3%28';
    case 3:
      return base + '%00';
    case 4:
      return base + '?' + 'a'.repeat(8300);
    case 5:
      return '/' + 'x'.repeat(9000);
    case 6:
      return base + '?spans=' + pick(['-1', '99999999999', 'abc', '1e400', '%ff', '']);
    case 7:
      return base + '?format=prometheus&format=json&__proto__[x]=1&constructor=2';
    case 8:
      return '//' + base + '/./';
    case 9:
      return base + '/\u00e9\u{1F600}';
    case 10:
      return '*';
    case 11:
      return 'http://127.0.0.1' + base;
    case 12:
      return base + '?' + Array.from({ length: 500 }, (_, i) => `k${i}=${i}`).join('&');
    case 13:
      return base + '#frag';
    default:
      return base;
  }
}

/** One raw request (mostly well framed so the server must answer; sometimes broken on purpose). */
function randomRequest() {
  const method = pick(METHODS);
  const headers = ['Host: 127.0.0.1'];
  if (rnd(3) === 0) headers.push(`Accept: ${pick(ACCEPTS)}`);
  if (rnd(10) === 0) for (let i = 0; i < 300; i++) headers.push('X-Dup: 1');
  if (rnd(12) === 0) headers.push(`X-Huge: ${'h'.repeat(20_000 + rnd(100_000))}`);
  if (rnd(15) === 0) headers.push('Content-Length: 5', 'Transfer-Encoding: chunked');
  if (rnd(15) === 0) headers.push('Authorization: Bearer \u0000\u00ff');
  if (rnd(20) === 0) headers.push('Bad Header Name: x');
  if (rnd(20) === 0) headers.push('Upgrade: websocket');
  const version = rnd(20) === 0 ? pick(['HTTP/0.9', 'HTTP/2.0', 'HTTP/1.1x', '']) : 'HTTP/1.1';
  const body = method === 'POST' && rnd(2) === 0 ? 'x'.repeat(100) : '';
  if (body) headers.push(`Content-Length: ${body.length}`);
  headers.push('Connection: close');
  const nul = rnd(25) === 0 ? '\u0000' : '';
  return `${method} ${randomPath()}${nul} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** Send raw bytes, collect everything until the server closes (or timeoutMs). */
function exchange(port, payload, { halfClose = false, timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const t = setTimeout(() => s.destroy(), timeoutMs);
    s.on('connect', () => {
      s.write(payload, 'latin1');
      if (halfClose) s.end();
    });
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => s.end()); // allowHalfOpen: the server's FIN does not end our side by itself
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/**
 * Split a byte stream into HTTP responses: Content-Length framed, or chunked (/metrics is
 * streamed); a chunked head followed by another response had no body (a HEAD).
 */
function parseResponses(raw) {
  const out = [];
  let rest = raw;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return { out, error: `incomplete head: ${JSON.stringify(rest.slice(0, 200))}` };
    const head = rest.slice(0, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) /.exec(head[0]);
    if (!m) return { out, error: `bad status line ${JSON.stringify(head[0])}` };
    const h = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      h[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    if (h['transfer-encoding'] === 'chunked') {
      let at = end + 4;
      let body = '';
      if (!rest.startsWith('HTTP/1.', at)) {
        for (;;) {
          const eol = rest.indexOf('\r\n', at);
          const size = eol < 0 ? NaN : parseInt(rest.slice(at, eol), 16);
          if (!(size >= 0)) return { out, error: `bad chunk at ${JSON.stringify(rest.slice(at, at + 40))}` };
          body += rest.slice(eol + 2, eol + 2 + size);
          at = eol + 2 + size + 2;
          if (size === 0) break;
        }
      }
      out.push({ status: Number(m[1]), headers: h, body });
      rest = rest.slice(at);
      continue;
    }
    const len = Number(h['content-length'] ?? 0);
    out.push({ status: Number(m[1]), headers: h, body: rest.slice(end + 4, end + 4 + len) });
    rest = rest.slice(end + 4 + len);
  }
  return { out };
}

function checkResponse(r, what, problems) {
  const type = r.headers['content-type'] ?? '';
  if (STACK.test(r.body) || (r.status >= 400 && PATH.test(r.body)))
    problems.push(`${what}: leak in body ${JSON.stringify(r.body.slice(0, 300))}`);
  if (r.status >= 400) {
    if (!type.startsWith('application/json')) return problems.push(`${what}: ${r.status} not JSON (${type})`);
    if (r.body === '' && r.status !== 0) return; // HEAD
    try {
      const j = JSON.parse(r.body);
      if (typeof j.error !== 'string' || typeof j.message !== 'string' || j.status !== r.status)
        problems.push(`${what}: error shape ${r.body.slice(0, 200)}`);
    } catch {
      problems.push(`${what}: ${r.status} body is not JSON: ${r.body.slice(0, 200)}`);
    }
  } else if (type.includes('json') && r.body) {
    try {
      JSON.parse(r.body);
    } catch {
      problems.push(`${what}: invalid JSON ${r.body.slice(0, 200)}`);
    }
  }
}

test(`fuzz: ${TOTAL} hostile requests, slowloris, pipelining, half-close, bad custom handlers`, async (t) => {
  const port = await freePort();
  const app = startApp('test/reliability/fixtures/fuzz-app.mjs', {
    env: {
      FUZZ_PORT: String(port),
      MONITORING_SERVER: 'false',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  const problems = [];
  const statuses = {};
  let noAnswer = 0;
  const live = { ok: 0, bad: 0, maxMs: 0 };
  let stopLive = false;
  try {
    await waitFor(() => app.out.stdout.includes('READY'), 20000);
    const pid = app.child.pid;
    // Liveness from a normal client all along.
    const liveLoop = (async () => {
      while (!stopLive) {
        const t0 = performance.now();
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(3000) });
          await res.arrayBuffer();
          res.status === 200 ? live.ok++ : live.bad++;
        } catch {
          live.bad++;
        }
        live.maxMs = Math.max(live.maxMs, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // Slowloris: headers trickled byte by byte; the server must cut them off.
    const slow = Array.from({ length: 20 }, async () => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.on('error', () => {});
      const t0 = performance.now();
      s.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      const timer = setInterval(() => s.writable && s.write('X-a: b\r\n'), 200);
      const data = [];
      s.on('data', (c) => data.push(c));
      await new Promise((r) => s.on('close', r));
      clearInterval(timer);
      return { ms: performance.now() - t0, answer: Buffer.concat(data).toString('latin1') };
    });
    const custom = [
      ['/custom/throws', 500],
      ['/custom/rejects', 500],
      ['/custom/circular', 200],
      ['/custom/never', 504],
      ['/custom/garbage', 500],
      ['/custom/badstatus', 500],
      ['/custom/getter', 500],
    ];
    for (const [path, want] of custom) {
      const { out, error } = parseResponses(await exchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      assert.ok(!error && out.length === 1, `${path}: ${error}`);
      assert.equal(out[0].status, want, `${path}: ${out[0].body}`);
      checkResponse(out[0], path, problems);
    }
    const rss = [[0, rssOf(pid)]];
    let sent = 0;
    const t0 = Date.now();
    const worker = async () => {
      while (sent < TOTAL) {
        const i = sent++;
        let payload;
        let halfClose = false;
        let expect = 1;
        if (i % 50 === 0) {
          // pipelined: several requests in one write, keep-alive
          expect = 5;
          payload = Array.from(
            { length: 5 },
            (_, k) => `GET ${pick(ROUTES)} HTTP/1.1\r\nHost: x\r\n${k === 4 ? 'Connection: close\r\n' : ''}\r\n`,
          ).join('');
        } else {
          payload = randomRequest();
          halfClose = i % 7 === 0;
        }
        const raw = await exchange(port, payload, { halfClose });
        if (raw === '') {
          noAnswer++;
          if (noAnswer <= 5) problems.push(`no answer to ${JSON.stringify(payload.slice(0, 200))}`);
          continue;
        }
        const { out, error } = parseResponses(raw);
        if (error) problems.push(`${JSON.stringify(payload.slice(0, 120))}: ${error}`);
        if (expect > 1 && out.length !== expect && !(out.length >= 1 && out.at(-1).status >= 400))
          problems.push(`pipelined: ${out.length} of ${expect} answers`);
        for (const r of out) {
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          checkResponse(r, JSON.stringify(payload.slice(0, 80)), problems);
        }
        if (i % 2000 === 1999) rss.push([Date.now() - t0, rssOf(pid)]);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = (Date.now() - t0) / 1000;
    const slowResults = await Promise.all(slow);
    stopLive = true;
    await liveLoop;
    rss.push([Date.now() - t0, rssOf(pid)]);
    const slowMax = Math.max(...slowResults.map((s) => s.ms));
    // The first requests grow the heap to its working size (V8 may take one more step up on a
    // loaded box); flat means no growth over the second half of the requests.
    const half = Math.floor(rss.length / 2);
    const warm = rss[half];
    const growth = (rss.at(-1)[1] - warm[1]) / MB;
    figure(
      t,
      `fuzz: ${TOTAL} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(statuses)}, ${noAnswer} unanswered, ${problems.length} problems`,
    );
    figure(
      t,
      `fuzz: slowloris ×20 cut after ≤ ${(slowMax / 1000).toFixed(1)} s (headersTimeout 1 s); /health/live ${live.ok} × 200, ${live.bad} failures, slowest ${live.maxMs.toFixed(0)} ms`,
    );
    figure(
      t,
      `fuzz: RSS ${rss.map(([, v]) => (v / MB).toFixed(0)).join(' → ')} MB every 2,000 requests (+${growth.toFixed(1)} MB over the second half)`,
    );
    assert.deepEqual(problems.slice(0, 10), []);
    assert.equal(noAnswer, 0);
    assert.ok(slowMax < 4000, `slowloris connections cut after ${slowMax.toFixed(0)} ms`);
    for (const s of slowResults) if (s.answer) assert.match(s.answer, /^HTTP\/1\.1 40[08] /);
    assert.equal(live.bad, 0, 'liveness answered 200 throughout');
    assert.ok(live.ok > 10);
    assert.ok(growth < 20, `RSS grew ${growth.toFixed(1)} MB over the second half of the requests`);
    assert.equal(app.child.exitCode, null, 'the app is still running');
    assert.doesNotMatch(app.out.stderr, /UNHANDLED|Uncaught|FATAL/);
  } finally {
    stopLive = true;
    await app.stop('SIGKILL');
  }
});
