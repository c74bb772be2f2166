// docs/health.md, checks and dependencies: the `thresholds` option of HealthChecker (the memory
// check's RSS against the cgroup limit or total memory among them), HTTP dependencies with an
// `expectedStatus` list, and `rediss://` against a real TLS Redis (redis-server --tls-port with a
// certificate made here by openssl).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { HealthChecker, ReadinessChecker } from '@socketcomm/monitoring';
import { freePort, startApp, waitFor } from '../helpers.js';

test('the thresholds option tunes the default checks: RSS over the memory limit, load, disk', async () => {
  const tight = new HealthChecker({ isolated: true, thresholds: { rssRatio: { degraded: 1e-6, unhealthy: 0.999 } } });
  const mem = await tight.runCheck('memory');
  assert.equal(mem.status, 'degraded', JSON.stringify(mem));
  // The limit is the cgroup's when one is set (process.constrainedMemory()), else total memory.
  const constrained = process.constrainedMemory?.() ?? 0;
  const limited = constrained > 0 && constrained < Number.MAX_SAFE_INTEGER;
  assert.equal(mem.details.memoryLimitBytes, limited ? constrained : os.totalmem());
  assert.match(mem.message, limited ? /RSS \d+% of the cgroup limit/ : /RSS \d+% of total memory/);
  assert.ok(Math.abs(mem.details.rssRatio - mem.details.rssBytes / mem.details.memoryLimitBytes) < 1e-3, JSON.stringify(mem.details));

  const worse = new HealthChecker({ isolated: true, thresholds: { rssRatio: { degraded: 1e-6, unhealthy: 2e-6 } } });
  assert.equal((await worse.runCheck('memory')).status, 'unhealthy');
  await worse.runAllChecks();
  assert.equal(worse.getOverallStatus(), 'unhealthy', 'memory is critical');

  const others = new HealthChecker({
    isolated: true,
    thresholds: {
      loadPerCore: { degraded: 0, unhealthy: 1e6 },
      diskFreeRatio: { degraded: 0.999999, unhealthy: 0 },
      diskPath: os.tmpdir(),
    },
  });
  const load = await others.runCheck('system_resources');
  assert.equal(load.status, 'degraded', JSON.stringify(load));
  assert.deepEqual(load.details.thresholds, { degraded: 0, unhealthy: 1e6 });
  assert.equal((await others.runCheck('disk')).status, 'degraded');
  // The defaults, on this machine: the same checks pass.
  const plain = new HealthChecker({ isolated: true });
  assert.equal((await plain.runCheck('memory')).status, 'healthy');
  assert.equal((await plain.runCheck('disk')).status, 'healthy');
});

/**
 * A new child cgroup of this process's memory cgroup with `limit` bytes (cgroup v1's memory
 * controller, or v2 where the memory controller is enabled for children), as a container runtime
 * makes one; its directory. Needs root, which the test set-up has.
 */
function memoryCgroup(limit) {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  const v1 = lines.find((l) => l.split(':')[1].split(',').includes('memory'));
  const name = `socketcomm-test-${process.pid}`;
  if (v1) {
    const dir = path.join('/sys/fs/cgroup/memory', v1.split(':')[2], name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(limit));
    return dir;
  }
  const v2 = lines.find((l) => l.startsWith('0::'));
  const parent = path.join('/sys/fs/cgroup', v2.slice(3));
  assert.ok(existsSync(path.join(parent, 'cgroup.subtree_control')), `no writable memory cgroup here (${lines.join('; ')})`);
  if (!readFileSync(path.join(parent, 'cgroup.subtree_control'), 'utf8').includes('memory')) {
    writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+memory');
  }
  const dir = path.join(parent, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'memory.max'), String(limit));
  return dir;
}

test('in a cgroup with a memory limit, the memory check measures RSS against that limit', async () => {
  const limit = 256 * 1024 * 1024;
  const dir = memoryCgroup(limit);
  try {
    // The shell moves itself into the cgroup, then becomes node: the app starts inside it, as in a container.
    const out = execFileSync(
      'sh',
      ['-c', 'echo $$ > "$1/cgroup.procs" && exec "$2" test/promises/fixtures/memory-check.mjs', 'sh', dir, process.execPath],
      {
        encoding: 'utf8',
        env: { ...process.env, MONITORING_STRICT: '', OTEL_LOG_LEVEL: '' },
        timeout: 30_000,
      },
    );
    const mem = JSON.parse(out.trim().split('\n').pop());
    assert.equal(mem.details.memoryLimitBytes, limit, JSON.stringify(mem));
    assert.ok(Math.abs(mem.details.rssRatio - mem.details.rssBytes / limit) < 1e-3, JSON.stringify(mem.details));
    // Tens of MB of RSS are over 1 % of 256 MB (and under 1 % of this machine's memory).
    assert.equal(mem.status, 'degraded', JSON.stringify(mem));
    assert.match(mem.message, /RSS \d+% of the cgroup limit/);
  } finally {
    rmdirSync(dir);
  }
});

test('HTTP dependencies: any 2xx by default; expectedStatus as a number or a list', async () => {
  const server = http.createServer((req, res) => res.writeHead(Number(req.url.slice(1)), { Location: '/204' }).end());
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = (code) => `http://127.0.0.1:${server.address().port}/${code}`;
  try {
    const r = new ReadinessChecker({ isolated: true });
    r.addHttpDependency('no_content', url(204));
    r.addHttpDependency('redirect', url(301));
    r.addHttpDependency('redirect_listed', url(301), { expectedStatus: [200, 301] });
    r.addHttpDependency('teapot_unlisted', url(418), { expectedStatus: [200, 204] });
    r.addHttpDependency('teapot', url(418), { expectedStatus: 418 });
    const res = await r.runAllChecks();
    const status = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.status]));
    assert.deepEqual(status, {
      no_content: 'healthy',
      redirect: 'unhealthy',
      redirect_listed: 'healthy',
      teapot_unlisted: 'unhealthy',
      teapot: 'healthy',
    });
    assert.match(res.redirect.message, /answered 301, expected 2xx/);
    assert.match(res.teapot_unlisted.message, /answered 418, expected 200\/204/);
    assert.equal(await r.isReady(), false);
  } finally {
    server.close();
  }
});

let dir;
let redis;
let tlsPort;
const PASSWORD = 'tls-redis-s3cret';

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'promises-rediss-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  tlsPort = await freePort();
  redis = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      cert,
      '--tls-key-file',
      key,
      '--tls-auth-clients',
      'no',
      '--requirepass',
      PASSWORD,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  // Ready when it completes a TLS handshake.
  await waitFor(
    () =>
      new Promise((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port: tlsPort, rejectUnauthorized: false }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    10000,
  );
});
after(() => {
  redis?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function check(deps, env) {
  const app = startApp('test/promises/fixtures/readiness-check.mjs', { register: false, args: [JSON.stringify(deps)], env });
  const { code } = await app.exited;
  assert.equal(code, 0, app.out.stderr);
  assert.ok(!app.out.stdout.includes(PASSWORD) && !app.out.stderr.includes(PASSWORD), 'the password is never printed');
  return JSON.parse(app.out.stdout);
}

test('rediss://: PING over TLS, the certificate verified (NODE_EXTRA_CA_CERTS for a private CA); TLS is really spoken', async () => {
  const tlsUrl = `rediss://:${PASSWORD}@127.0.0.1:${tlsPort}`;
  const trusted = await check(
    { tls: tlsUrl, plain_to_tls_port: `redis://:${PASSWORD}@127.0.0.1:${tlsPort}`, tls_to_plain_port: 'rediss://127.0.0.1:6379' },
    // A TLS hello to a plain Redis gets no answer: a short timeout.
    { NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'), TIMEOUT_MS: '1000' },
  );
  assert.equal(trusted.tls.status, 'healthy', JSON.stringify(trusted.tls));
  assert.equal(trusted.tls.message, 'Redis PING OK');
  assert.equal(trusted.plain_to_tls_port.status, 'unhealthy', 'redis:// does not speak TLS');
  assert.equal(trusted.tls_to_plain_port.status, 'unhealthy', 'rediss:// to a plain Redis fails');
  assert.equal(trusted.tls.details.target, `rediss://:***@127.0.0.1:${tlsPort}`);
  // The certificate is checked: without its CA the handshake is refused.
  const untrusted = await check({ tls: tlsUrl }, { NODE_EXTRA_CA_CERTS: '' });
  assert.equal(untrusted.tls.status, 'unhealthy');
  assert.match(untrusted.tls.message, /self[- ]signed certificate/i);
});
