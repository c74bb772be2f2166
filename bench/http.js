// /health/live throughput vs a bare node:http server answering "ok", both measured with
// autocannon on 127.0.0.1 in one run, alternating, 5 s each, 3 rounds.
//   node bench/http.js
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, waitForHttp, ROOT } from '../test/helpers.js';
import { printTable, saveSection } from './harness.js';

const DURATION = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const ROUNDS = 3;

function start(args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  return child;
}

async function load(url) {
  const r = await autocannon({ url, connections: 20, duration: DURATION, pipelining: 1 });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

const barePort = await freePort();
const monPort = await freePort();
const bare = start(['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${barePort}, '127.0.0.1')`]);
const app = start(['--import', './register', '-e', 'setInterval(() => {}, 1000)'], { MONITORING_PORT: String(monPort), MONITORING_HOST: '127.0.0.1' });
try {
  await waitForHttp(`http://127.0.0.1:${barePort}/`);
  await waitForHttp(`http://127.0.0.1:${monPort}/health/live`);
  const res = { bare: [], live: [] };
  for (let i = 0; i < ROUNDS; i++) {
    res.bare.push(await load(`http://127.0.0.1:${barePort}/`));
    res.live.push(await load(`http://127.0.0.1:${monPort}/health/live`));
  }
  const med = (xs) => xs.map((x) => x.rps).sort((a, b) => a - b)[xs.length >> 1];
  const out = {
    bareRps: med(res.bare),
    liveRps: med(res.live),
    ratio: med(res.live) / med(res.bare),
    errors: [...res.bare, ...res.live].reduce((n, x) => n + x.errors + x.non2xx, 0),
  };
  printTable(`HTTP, autocannon 20 connections, ${DURATION} s × ${ROUNDS} rounds (median req/s)`, [
    ['bare node:http "ok"', `${Math.round(out.bareRps)} req/s`],
    ['/health/live under register', `${Math.round(out.liveRps)} req/s`, `${out.ratio.toFixed(2)}× (goal ≥ 0.8×)`],
    ['errors + non-2xx', String(out.errors)],
  ]);
  saveSection('http', out);
} finally {
  bare.kill('SIGKILL');
  app.kill('SIGKILL');
}
