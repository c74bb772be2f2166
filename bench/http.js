// /health/live throughput vs a bare node:http server answering "ok", on 127.0.0.1, in one
// run, alternating, 5 rounds after a warm-up: wrk (Debian package) when present — autocannon's own parsing
// is the bottleneck at these rates — else autocannon.
//   node bench/http.js
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import autocannon from 'autocannon';
import { freePort, waitForHttp, ROOT } from '../test/helpers.js';
import { median, printTable, saveSection } from './harness.js';

const DURATION = Number(process.env.BENCH_HTTP_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const WRK = existsSync('/usr/bin/wrk');

function start(args, env) {
  return spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
}

async function load(url) {
  if (WRK) {
    const out = execFileSync('wrk', ['-t1', '-c20', `-d${DURATION}s`, url], { encoding: 'utf8' });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0;
    return { rps, errors: Number(errors) };
  }
  const r = await autocannon({ url, connections: 20, duration: DURATION });
  return { rps: r.requests.average, errors: r.errors + r.non2xx };
}

const [barePort, standalonePort, monPort] = [await freePort(), await freePort(), await freePort()];
const procs = [
  start(['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${barePort}, '127.0.0.1')`]),
  start([
    '--input-type=module',
    '-e',
    `import { HealthEndpoints } from '@socketcomm/monitoring'; await new HealthEndpoints({ host: '127.0.0.1', port: ${standalonePort} }).start(); setInterval(() => {}, 1000);`,
  ]),
  start(['--import', './register', '-e', 'setInterval(() => {}, 1000)'], {
    MONITORING_PORT: String(monPort),
    MONITORING_HOST: '127.0.0.1',
  }),
];
try {
  const targets = {
    bare: `http://127.0.0.1:${barePort}/`,
    standalone: `http://127.0.0.1:${standalonePort}/health/live`,
    register: `http://127.0.0.1:${monPort}/health/live`,
  };
  for (const u of Object.values(targets)) await waitForHttp(u);
  // Warm-up: JIT and the register process's one-off start-up work (host metrics start a second
  // in) must not land in the first measured round.
  for (const u of Object.values(targets)) {
    if (WRK) execFileSync('wrk', ['-t1', '-c20', '-d1s', u], { stdio: 'ignore' });
    else await autocannon({ url: u, connections: 20, duration: 1 });
  }
  const res = { bare: [], standalone: [], register: [] };
  for (let i = 0; i < ROUNDS; i++) for (const [k, u] of Object.entries(targets)) res[k].push(await load(u));
  const med = (xs) => median(xs.map((x) => x.rps));
  const out = {
    client: WRK ? 'wrk -t1 -c20' : 'autocannon -c20',
    seconds: DURATION,
    rounds: ROUNDS,
    bareRps: med(res.bare),
    standaloneRps: med(res.standalone),
    liveRps: med(res.register),
    roundRps: Object.fromEntries(Object.entries(res).map(([k, xs]) => [k, xs.map((x) => x.rps)])),
    errors: Object.values(res)
      .flat()
      .reduce((n, x) => n + x.errors, 0),
  };
  const ratio = out.liveRps / out.bareRps; // ratio of medians
  const standaloneRatio = out.standaloneRps / out.bareRps;
  printTable(`HTTP, ${out.client}, ${DURATION} s × ${ROUNDS} rounds (median req/s)`, [
    ['bare node:http "ok"', `${Math.round(out.bareRps)} req/s`],
    ['/health/live, HealthEndpoints alone', `${Math.round(out.standaloneRps)} req/s`, `${standaloneRatio.toFixed(2)}×`],
    ['/health/live under register (SDK + instrumentations)', `${Math.round(out.liveRps)} req/s`, `${ratio.toFixed(2)}× (goal ≥ 0.8×)`],
    ['errors + non-2xx', String(out.errors)],
  ]);
  saveSection('http', out);
} finally {
  for (const p of procs) p.kill('SIGKILL');
}
