// /debug/pprof against a real app under `node --import ./register`: Go's own `go tool pprof`
// (Debian golang-go) fetches and reads the CPU and heap profiles; the DevTools formats; span
// labels and CPU by operation; one profile at a time; a client that goes away; bad input;
// authorization; and nothing of the profiler loaded or open until the first profile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../helpers.js';
import { startFixture, underLoad } from './fixture.js';

const run = promisify(execFile);
const TOKEN = 'pprof-test-token-19c2';
const pprofHome = mkdtempSync(path.join(tmpdir(), 'pprof-home-'));
let app, base, appBase, secured, securedBase, securedApp;

before(async () => {
  ({ app, base, appBase } = await startFixture());
  ({ app: secured, base: securedBase, appBase: securedApp } = await startFixture({ MONITORING_AUTH_TOKEN: TOKEN }));
});

after(async () => {
  await app?.stop();
  await secured?.stop();
  rmSync(pprofHome, { recursive: true, force: true });
});

const json = async (url, init) => {
  const r = await fetch(url, init);
  return { status: r.status, headers: r.headers, body: await r.json() };
};
const modules = async (appUrl) => (await fetch(`${appUrl}/modules`)).json();

/** `go tool pprof` with a throwaway home (it saves what it fetches there). */
async function pprof(...args) {
  const { stdout, stderr } = await run('go', ['tool', 'pprof', ...args], {
    env: { ...process.env, HOME: pprofHome, PPROF_TMPDIR: pprofHome },
    timeout: 60_000,
    maxBuffer: 16 << 20,
  });
  // What it fetched and saved is said on stderr.
  return `${stderr}\n${stdout}`;
}

/** The rows of `-top`: [flat seconds-or-bytes as text, function name]. */
function topRows(out) {
  const lines = out.split('\n');
  const h = lines.findIndex((l) => /^\s*flat\s+flat%/.test(l));
  return lines
    .slice(h + 1)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return { flat: cols[0], name: cols.slice(5).join(' ') };
    });
}

const toMs = (s) => {
  const m = /^([\d.]+)(ms|s|us|µs)$/.exec(s);
  assert.ok(m, `a duration: ${s}`);
  return Number(m[1]) * { ms: 1, s: 1000, us: 1e-3, µs: 1e-3 }[m[2]];
};

test('idle: no inspector module, no zlib, no pprof-format, no session until the first profile', async () => {
  assert.deepEqual(await modules(appBase), { inspector: false, zlib: false, pprofFormat: false });
  const index = await json(`${base}/debug/pprof/`);
  assert.equal(index.status, 200);
  assert.equal(index.body.running, null);
  assert.equal(index.body.inspectorSession, 'closed');
  assert.deepEqual(
    index.body.profiles.map((p) => p.name),
    ['profile', 'heap', 'latest'],
  );
});

test('go tool pprof reads the CPU profile: the busy function on top, its span in -tags', async () => {
  const top = await underLoad(appBase, ['/busy?ms=30'], () => pprof('-top', `${base}/debug/pprof/profile?seconds=2`));
  const rows = topRows(top);
  assert.equal(rows[0].name, 'burnCpuForProfile', top);
  assert.match(top, /^Type: cpu$/m);

  // The profile go tool saved: -tags lists the span names, and the busy function's time is
  // (nearly all) charged to its own span.
  const saved = /Saved profile in (\S+)/.exec(top)?.[1];
  assert.ok(saved, top);
  const tags = await pprof('-tags', saved);
  assert.match(tags, /span_name: Total/);
  assert.match(tags, /: busy work$/m);
  assert.match(tags, /trace_id: Total[\s\S]*: [0-9a-f]{32}$/m);
  const all = toMs(rows[0].flat);
  const focused = topRows(await pprof('-top', '-tagfocus=span_name=busy work', saved)).find((r) => r.name === 'burnCpuForProfile');
  assert.ok(focused, 'burnCpuForProfile under span_name=busy work');
  assert.ok(toMs(focused.flat) >= 0.9 * all, `labelled ${focused.flat} of ${rows[0].flat}`);

  // Loaded now, and closed again after the profile.
  assert.deepEqual(await modules(appBase), { inspector: true, zlib: true, pprofFormat: true });
  const index = await json(`${base}/debug/pprof/`);
  assert.equal(index.body.inspectorSession, 'closed');
  assert.equal(index.body.running, null);
  assert.ok(index.body.latest.cpu.id >= 1);
});

test('?format=cpuprofile is DevTools JSON; CPU by operation names the busy span with a kept example trace', async () => {
  const r = await underLoad(appBase, ['/busy?ms=30'], () => fetch(`${base}/debug/pprof/profile?seconds=1&format=cpuprofile`));
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="cpu-[^"]+\.cpuprofile"/);
  const id = Number(r.headers.get('x-profile-id'));
  const p = await r.json();
  assert.deepEqual(Object.keys(p).sort(), ['endTime', 'nodes', 'samples', 'startTime', 'timeDeltas']);
  assert.ok(p.endTime > p.startTime);
  assert.equal(p.samples.length, p.timeDeltas.length);
  assert.ok(p.samples.length > 10);
  const ids = new Set(p.nodes.map((n) => n.id));
  assert.ok(p.samples.every((s) => ids.has(s)));
  for (const n of p.nodes) {
    assert.equal(typeof n.callFrame.functionName, 'string');
    assert.equal(typeof n.callFrame.url, 'string');
    assert.equal(typeof n.callFrame.lineNumber, 'number');
  }
  const busyNode = p.nodes.find((n) => n.callFrame.functionName === 'burnCpuForProfile');
  assert.ok(busyNode && busyNode.callFrame.url.endsWith('test/profiling/fixtures/app.mjs'));

  const ops = await json(`${base}/debug/pprof/latest?id=${id}&format=operations`);
  assert.equal(ops.status, 200);
  const top = ops.body.operations[0];
  assert.equal(top.spanName, 'busy work');
  assert.ok(top.share > 0.5 && top.cpuMs > 0, JSON.stringify(top));
  assert.match(top.exampleTraceId, /^[0-9a-f]{32}$/);
  assert.equal(top.exampleKept, true);
  // The example is a trace the status page can show.
  const trace = await json(`${base}/api/trace?id=${top.exampleTraceId}`);
  assert.equal(trace.status, 200);
  assert.ok(trace.body.spans.some((s) => s.name === 'busy work'));

  // The same profile again as pprof.
  const again = await fetch(`${base}/debug/pprof/latest?id=${id}&format=pprof`);
  assert.equal(again.status, 200);
  const gz = Buffer.from(await again.arrayBuffer());
  assert.deepEqual([...gz.subarray(0, 2)], [0x1f, 0x8b], 'gzip');

  // ?labels=span_name: no trace ids (a backend that makes series of labels wants that).
  const spanOnly = path.join(pprofHome, 'span-only.pb.gz');
  writeFileSync(spanOnly, Buffer.from(await (await fetch(`${base}/debug/pprof/latest?id=${id}&labels=span_name`)).arrayBuffer()));
  const tags = await pprof('-tags', spanOnly);
  assert.match(tags, /: busy work$/m);
  assert.doesNotMatch(tags, /trace_id/);
});

test('go tool pprof reads the heap profile: the allocating function on top', async () => {
  const top = await underLoad(appBase, ['/hoard?n=20000'], () => pprof('-top', `${base}/debug/pprof/heap?seconds=1`));
  assert.match(top, /^Type: inuse_space$/m);
  assert.equal(topRows(top)[0].name, 'hoardObjectsForProfile', top);
  const h = await fetch(`${base}/debug/pprof/latest?kind=heap&format=heapprofile`);
  assert.equal(h.status, 200);
  const hp = await h.json();
  assert.deepEqual(Object.keys(hp).sort(), ['head', 'samples']);
  assert.equal(hp.head.callFrame.functionName, '(root)');
  assert.ok(hp.samples.length > 0 && hp.samples.every((s) => s.size > 0));
});

test('one profile at a time: a second request meanwhile is a 409 with a JSON error', async () => {
  const first = fetch(`${base}/debug/pprof/profile?seconds=2`);
  await waitFor(async () => (await json(`${base}/debug/pprof/`)).body.running, 5000, 20);
  for (const p of ['/debug/pprof/profile?seconds=1', '/debug/pprof/heap?seconds=1']) {
    const r = await json(base + p);
    assert.equal(r.status, 409, p);
    assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'status']);
    assert.equal(r.body.error, 'Conflict');
    assert.match(r.body.message, /cpu profile is already running/);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  }
  assert.equal((await first).status, 200);
  await (await first).arrayBuffer();
});

test('a client that goes away stops the profile at once', async () => {
  const ac = new AbortController();
  const gone = fetch(`${base}/debug/pprof/profile?seconds=30`, { signal: ac.signal }).catch((e) => e);
  await waitFor(async () => (await json(`${base}/debug/pprof/`)).body.running, 5000, 20);
  const t0 = Date.now();
  ac.abort();
  await gone;
  await waitFor(
    async () => {
      const i = (await json(`${base}/debug/pprof/`)).body;
      return i.running === null && i.inspectorSession === 'closed';
    },
    5000,
    20,
  );
  assert.ok(Date.now() - t0 < 5000);
  const next = await fetch(`${base}/debug/pprof/profile?seconds=0.2`);
  assert.equal(next.status, 200);
  await next.arrayBuffer();
});

test('bad input: 400 with a JSON error, and no profile started', async () => {
  const bad = [
    '/debug/pprof/profile?seconds=abc',
    '/debug/pprof/profile?seconds=0',
    '/debug/pprof/profile?seconds=-1',
    '/debug/pprof/profile?seconds=61',
    '/debug/pprof/profile?seconds=',
    '/debug/pprof/profile?seconds=Infinity',
    '/debug/pprof/profile?format=svg',
    '/debug/pprof/heap?seconds=1e9',
    '/debug/pprof/heap?format=cpuprofile',
    '/debug/pprof/latest',
    '/debug/pprof/latest?id=x',
    '/debug/pprof/latest?kind=heap&format=operations',
    '/debug/pprof/profile?labels=span_id',
  ];
  for (const p of bad) {
    const r = await json(base + p);
    assert.equal(r.status, 400, p);
    assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'status'], p);
    assert.equal((await json(`${base}/debug/pprof/`)).body.running, null, p);
  }
  assert.equal((await json(`${base}/debug/pprof/latest?id=999999`)).status, 404);
  // HEAD answers the headers and profiles nothing.
  const head = await fetch(`${base}/debug/pprof/profile?seconds=30`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal((await json(`${base}/debug/pprof/`)).body.running, null);
});

test('with a token: 401 without it and no profile started; the bearer gets the profile', async () => {
  for (const p of ['/debug/pprof/', '/debug/pprof/profile?seconds=1', '/debug/pprof/heap?seconds=1', '/debug/pprof/latest?kind=cpu']) {
    const r = await json(securedBase + p, { headers: { Authorization: 'Bearer wrong' } });
    assert.equal(r.status, 401, p);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="monitoring"');
    assert.equal(r.body.error, 'Unauthorized');
  }
  assert.deepEqual(await modules(securedApp), { inspector: false, zlib: false, pprofFormat: false }, 'nothing of the profiler loaded');
  const ok = await fetch(`${securedBase}/debug/pprof/profile?seconds=0.2`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  await ok.arrayBuffer();
});

test('MONITORING_PROFILING=false: no /debug/pprof routes', async () => {
  const off = await startFixture({ MONITORING_PROFILING: 'false' });
  try {
    for (const p of ['/debug/pprof/', '/debug/pprof/profile?seconds=1', '/debug/pprof/heap']) {
      assert.equal((await fetch(off.base + p)).status, 404, p);
    }
    const index = await json(`${off.base}/`);
    assert.ok(!index.body.routes.some((r) => r.path.startsWith('/debug/pprof')));
  } finally {
    await off.app.stop();
  }
});

test('a client that is not on loopback, with no token set: 403 and no profile started', async () => {
  // A unix socket has no peer address, so it is not loopback: the server's handler mounted on
  // one sees the same thing as a client from another host.
  const { HealthEndpoints } = await import('../../dist/index.js');
  const { getState } = await import('../../dist/state.js');
  assert.equal(process.env.MONITORING_AUTH_TOKEN, undefined);
  const endpoints = new HealthEndpoints({ port: 0 });
  const sock = path.join(pprofHome, 'monitoring.sock');
  const server = http.createServer(endpoints.handler);
  await new Promise((r) => server.listen(sock, r));
  const state = getState();
  try {
    for (const p of ['/debug/pprof/', '/debug/pprof/profile?seconds=1', '/debug/pprof/heap?seconds=1', '/debug/pprof/latest?kind=cpu']) {
      const r = await new Promise((resolve, reject) => {
        http
          .get({ socketPath: sock, path: p }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
          })
          .on('error', reject);
      });
      assert.equal(r.status, 403, p);
      assert.equal(r.body.error, 'Forbidden');
      assert.equal(state.profiling.running, undefined, p);
    }
    assert.ok(!process.moduleLoadList.includes('NativeModule inspector'), 'this process never loaded node:inspector');
  } finally {
    server.close();
  }
});
