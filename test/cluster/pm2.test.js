// PM2 cluster mode: PM2's daemon is the primary and runs none of our code; one worker is
// elected to serve the monitoring port, another takes over when it dies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, freePort, waitFor } from '../helpers.js';

const run = promisify(execFile);
const PM2 = path.join(ROOT, 'node_modules/.bin/pm2');

async function status(base) {
  const r = await fetch(`${base}/status`, { signal: AbortSignal.timeout(3000) });
  return r.json();
}
async function metrics(base) {
  const r = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(3000) });
  return r.json();
}

test(
  'PM2 -i 2 with --node-args="--import ./register": one port, exact sums, take-over when the serving worker is killed',
  { timeout: 60000 },
  async (t) => {
    const home = mkdtempSync(path.join(tmpdir(), 'pm2-home-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      PM2_HOME: home,
      MONITORING_PORT: String(port),
      MONITORING_HOST: '127.0.0.1',
      MONITORING_STRICT: '',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    };
    const pm2 = (...args) => run(PM2, args, { cwd: ROOT, env, timeout: 30000 });
    t.after(async () => {
      await pm2('kill').catch(() => {});
      rmSync(home, { recursive: true, force: true });
    });
    await pm2('start', 'test/cluster/fixtures/pm2-app.cjs', '-i', '2', '--node-args=--import ./register', '--name', 'cluster-test');
    const list = async () => JSON.parse((await pm2('jlist')).stdout).map((p) => ({ id: p.pm_id, pid: p.pid, status: p.pm2_env.status }));

    await waitFor(async () => (await metrics(base)).counters['pm2.test.increments'] === 20000, 20000, 200);
    const m = await metrics(base);
    assert.equal(m.histograms['pm2.test.duration'].count, 10);
    assert.equal(m.histograms['pm2.test.duration'].sum, 300);

    // One process serves the port: every request is answered by the same pid, a PM2 worker.
    const pids = new Set();
    for (let i = 0; i < 10; i++) pids.add((await status(base)).process.pid);
    assert.equal(pids.size, 1, `one serving process, got ${[...pids]}`);
    const leader = [...pids][0];
    const procs = await list();
    assert.ok(
      procs.some((p) => p.pid === leader),
      'the serving process is one of the PM2 workers',
    );

    // kill -9 the serving worker: the other takes over the port; PM2 restarts the dead one.
    process.kill(leader, 'SIGKILL');
    const next = await waitFor(
      async () => {
        const s = await status(base);
        return s.process.pid !== leader ? s.process.pid : false;
      },
      20000,
      100,
    );
    assert.ok((await list()).some((p) => p.pid === next));
    // The restarted instance records 10,000 again: exactly 10,000 per live instance.
    await waitFor(
      async () => (await list()).filter((p) => p.status === 'online' && p.pid > 0 && p.pid !== leader).length === 2,
      20000,
      200,
    );
    await waitFor(async () => (await metrics(base)).counters['pm2.test.increments'] === 20000, 20000, 200);
    const pids2 = new Set();
    for (let i = 0; i < 10; i++) pids2.add((await status(base)).process.pid);
    assert.deepEqual([...pids2], [next]);
  },
);
