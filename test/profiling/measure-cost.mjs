// What a running CPU profile costs the app: wrk against the profiling fixture's cheap route
// (`/hello`, one server span per request) with and without /debug/pprof/profile running, in
// interleaved rounds (the order alternates, so drift on a shared machine falls on both sides).
// Usage: node test/profiling/measure-cost.mjs [rounds=3] [seconds=10]. Needs wrk. Then the event-loop
// stall of starting a profile, with a small heap and with ~200 MB.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '../helpers.js';
import { startFixture } from './fixture.js';

const run = promisify(execFile);
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 10);

const { app, base: monitoring, appBase } = await startFixture({ FIXTURE_LIFETIME_MS: String((rounds * 2 * (seconds + 5) + 180) * 1000) });
const target = `${appBase}/hello`;

const cpu = async () => {
  const c = await (await fetch(target.replace('/hello', '/cpu'))).json();
  return c.user + c.system;
};

/** Throughput, p99 and the app's CPU time per request (the figure a busy machine disturbs least). */
async function wrk() {
  const cpu0 = await cpu();
  const { stdout } = await run('wrk', ['-t1', '-c10', `-d${seconds}s`, '--latency', target], { timeout: (seconds + 30) * 1000 });
  const cpuUs = (await cpu()) - cpu0;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)[1]);
  const [, v, unit] = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  return { rps, p99ms: Number(v) * { us: 1e-3, ms: 1, s: 1000 }[unit], cpuUsPerRequest: +(cpuUs / requests).toFixed(1) };
}

async function profiled() {
  const profile = fetch(`${monitoring}/debug/pprof/profile?seconds=${seconds + 2}`).then((r) => r.arrayBuffer());
  // The load starts once the profiler runs (Profiler.start itself is part of what is measured separately).
  await waitFor(async () => (await (await fetch(`${monitoring}/debug/pprof/`)).json()).running, 5000, 20);
  await new Promise((r) => setTimeout(r, 300));
  const out = await wrk();
  await profile;
  return out;
}

// Warm-up: the app's JIT, and a first profile (loads node:inspector and pprof-format).
await wrk();
await (await fetch(`${monitoring}/debug/pprof/profile?seconds=1`)).arrayBuffer();

const base = [];
const prof = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) {
    base.push(await wrk());
    prof.push(await profiled());
  } else {
    prof.push(await profiled());
    base.push(await wrk());
  }
  console.log(`round ${r + 1}: without ${JSON.stringify(base.at(-1))} with ${JSON.stringify(prof.at(-1))}`);
}
// The event loop's longest stall over an idle 1 s profile (V8 logs every compiled function when
// the profiler starts, and serialises the profile when it stops; both run on the main thread),
// against an idle second without one.
let heapMB = 0;
const stall = async () => {
  const s = await (await fetch(`${appBase}/stall`)).json();
  heapMB = s.heapUsedMB;
  return Math.round(s.maxMs);
};
/** The longest stall without a profile (1 s idle), with an idle 1 s CPU profile and with an idle 1 s heap profile, 5 times each. */
async function stalls() {
  const out = { without: [], cpu: [], heap: [] };
  for (let r = 0; r < 5; r++) {
    await stall();
    await new Promise((res) => setTimeout(res, 1000));
    out.without.push(await stall());
    await (await fetch(`${monitoring}/debug/pprof/profile?seconds=1`)).arrayBuffer();
    out.cpu.push(await stall());
    await (await fetch(`${monitoring}/debug/pprof/heap?seconds=1`)).arrayBuffer();
    out.heap.push(await stall());
  }
  return `without ${out.without.join(' ')}; CPU profile ${out.cpu.join(' ')}; heap profile ${out.heap.join(' ')} (JS heap ${heapMB} MB)`;
}
console.log(`longest stall, ms: ${await stalls()}`);
// Starting the profiler walks the JS heap: again with ~200 MB of live objects.
for (let i = 0; i < 60 && heapMB < 200; i++) {
  await (await fetch(`${appBase}/hoard?n=50000`)).text();
  await stall();
}
console.log(`longest stall, ms: ${await stalls()}`);

if (rounds > 0) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const med = (xs) => ({
    rps: median(xs.map((x) => x.rps)),
    p99ms: median(xs.map((x) => x.p99ms)),
    cpuUsPerRequest: median(xs.map((x) => x.cpuUsPerRequest)),
  });
  // Each round's with/without pair ran back to back: the median of the per-round ratios is what
  // drift on a shared machine disturbs least.
  const ratio = (key) => +median(base.map((b, i) => prof[i][key] / b[key])).toFixed(3);
  console.log(
    JSON.stringify({
      without: med(base),
      with: med(prof),
      throughput: ratio('rps'),
      p99: ratio('p99ms'),
      cpuPerRequest: ratio('cpuUsPerRequest'),
    }),
  );
}
await app.stop();
