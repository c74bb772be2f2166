// Collector down, hanging, failing, and coming back: the app under --import ./register keeps
// its latency (p99 vs the same app with OTEL_SDK_DISABLED=true), bounded memory, quiet stderr,
// counts what it drops, and exports again once the receiver is back.
//
// Latency method (a shared 2-core box is noisy): steady open-loop load of 300 req/s on
// GET /work (10 ms of I/O inside a tracked operation, a counter, a histogram, a log record),
// rounds interleaved across the apps, p99 per round (measured in a worker thread), median of
// the rounds per app. Asserted in `npm run soak`, whose 12 longer rounds make the medians
// stable: each faulty app's median p99 within 10 % of the same app with telemetry off (the
// issue's criterion) and within 10 % of the app exporting to a healthy receiver (a collector
// fault costs nothing more than a working collector). Five short rounds (npm test) leave
// ±15 % of noise on a 2-core box, so there the figures are printed and only ≤ 2× telemetry
// off is asserted. Not three: with a blackholed collector each export timeout (every 10 s)
// holds the app's loop 15-20 ms (serializing the next batch, tearing the timed-out socket
// down), which on a loaded box put about one 2 s round in five over 2× (38-46 ms against
// 15-18 ms), and two such rounds of three made the median fail about one run in eight.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort, waitFor } from '../helpers.js';
import { startOtlpReceiver } from '../otlp.js';
import { blackhole, closedPort } from '../health/servers.js';
import {
  figure,
  MB,
  median,
  otlpReceiverOn,
  percentile,
  probe,
  promValue,
  SOAK,
  startLoadApp,
  steadyLoad,
  steadyLoadIsolated,
  stderrKinds,
} from './lib.js';

const ROUNDS = SOAK ? 12 : 5;
const ROUND_MS = SOAK ? 5000 : 2000;
const RPS = 300;
const DOWN_MS = SOAK ? 20_000 : 5000;
const DROPPED = /^otel_sdk_processor_span_processed_total\{.*error_type="queue_full"/;

let hole;
let failing;
const failingSeen = { 500: 0, 429: 0 };
before(async () => {
  hole = await blackhole();
  // (c) a collector answering 500 to the first requests, then 429 with Retry-After: 1.
  let n = 0;
  failing = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (n++ < 6) {
        failingSeen[500]++;
        res.writeHead(500).end('boom');
      } else {
        failingSeen[429]++;
        res.writeHead(429, { 'Retry-After': '1' }).end('slow down');
      }
    });
  });
  await new Promise((r) => failing.listen(0, '127.0.0.1', r));
});
after(async () => {
  await hole?.close();
  failing?.closeAllConnections();
  await new Promise((r) => failing?.close(r));
});

function checkQuiet(app, name) {
  assert.doesNotMatch(app.out.stderr, /UNHANDLED|unhandled/i, `${name}: no unhandled rejection`);
  for (const [kind, count] of stderrKinds(app.out.stderr)) {
    assert.equal(count, 1, `${name}: stderr repeats "${kind}" ${count} times:\n${app.out.stderr}`);
  }
  assert.ok(stderrKinds(app.out.stderr).size <= 6, `${name}: few stderr lines:\n${app.out.stderr}`);
}

test('collector at a closed port, a blackhole, 500/429: p99 within 10 % of telemetry off (soak), RSS bounded, drops counted, stderr quiet', async (t) => {
  const closed = await closedPort();
  const healthy = await startOtlpReceiver();
  const configs = {
    off: { OTEL_SDK_DISABLED: 'true' },
    healthy: { OTEL_EXPORTER_OTLP_ENDPOINT: healthy.url },
    closed: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closed}` },
    blackhole: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${hole.port}` },
    failing: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${failing.address().port}` },
  };
  const apps = {};
  try {
    for (const [name, env] of Object.entries(configs)) apps[name] = await startLoadApp({ WORK_MS: '10', ...env });
    for (const a of Object.values(apps)) await steadyLoad(`${a.appUrl}/work`, { rps: RPS, durationMs: 1000 }); // warm-up
    const rss0 = {};
    for (const [name, a] of Object.entries(apps)) rss0[name] = (await probe(a.appUrl)).rss;
    const p99 = {};
    const statuses = {};
    let requests = 0;
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, a] of Object.entries(apps)) {
        const r = await steadyLoadIsolated(`${a.appUrl}/work`, { rps: RPS, durationMs: ROUND_MS });
        (p99[name] ??= []).push(percentile(r.latencies, 99));
        for (const [s, c] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + c;
        requests += r.count;
      }
    }
    assert.deepEqual(Object.keys(statuses), ['200'], `every app request answered 200: ${JSON.stringify(statuses)}`);
    const off = median(p99.off);
    const ok = median(p99.healthy);
    const pct = (m, b) => `${m >= b ? '+' : ''}${((m / b - 1) * 100).toFixed(0)} %`;
    const rounds = (name) => p99[name].map((x) => x.toFixed(1)).join('/');
    figure(
      t,
      `p99 (median of ${ROUNDS} rounds of ${ROUND_MS / 1000} s at ${RPS} req/s): telemetry off ${off.toFixed(1)} ms [${rounds('off')}], healthy collector ${ok.toFixed(1)} ms [${rounds('healthy')}] (${pct(ok, off)} vs off)`,
    );
    const faults = ['closed', 'blackhole', 'failing'];
    for (const name of faults) {
      const m = median(p99[name]);
      figure(
        t,
        `collector ${name}: p99 ${m.toFixed(1)} ms [${rounds(name)}]: ${pct(m, ok)} vs healthy collector, ${pct(m, off)} vs telemetry off`,
      );
    }
    for (const name of faults) {
      const m = median(p99[name]);
      if (SOAK) {
        assert.ok(
          m <= off * 1.1,
          `${name}: median p99 ${m.toFixed(1)} ms > telemetry off ${off.toFixed(1)} ms + 10 % (off: ${rounds('off')})`,
        );
        assert.ok(
          m <= ok * 1.1,
          `${name}: median p99 ${m.toFixed(1)} ms > healthy collector ${ok.toFixed(1)} ms + 10 % (healthy: ${rounds('healthy')})`,
        );
      }
      assert.ok(m <= off * 2, `${name}: median p99 ${m.toFixed(1)} ms > 2 × telemetry off ${off.toFixed(1)} ms`);
      const p = await probe(apps[name].appUrl);
      const growth = (p.rss - rss0[name]) / MB;
      figure(
        t,
        `collector ${name}: RSS ${(p.rss / MB).toFixed(0)} MB, +${growth.toFixed(1)} MB over ${(ROUNDS * ROUND_MS) / 1000} s of load; unhandled rejections ${p.unhandled.length}`,
      );
      assert.deepEqual(p.unhandled, []);
      assert.ok(p.rss < 300 * MB, `${name}: RSS ${(p.rss / MB).toFixed(0)} MB`);
      assert.ok(growth < (SOAK ? 80 : 60), `${name}: RSS grew ${growth.toFixed(1)} MB`);
    }
    // Queues are bounded: a collector that never takes data makes the span queue drop, counted.
    for (const name of ['closed', 'blackhole']) {
      const dropped = await promValue(apps[name].monUrl, DROPPED);
      figure(
        t,
        `collector ${name}: ${dropped} spans dropped (queue full), counted in otel_sdk_processor_span_processed_total{error_type="queue_full"}`,
      );
      assert.ok(dropped > 0, `${name}: the dropped-span counter moved`);
    }
    assert.ok(failingSeen[500] > 0 && failingSeen[429] > 0, `the failing collector answered both: ${JSON.stringify(failingSeen)}`);
    // Retry-After is honoured: a handful of export requests a second, not a storm.
    const seconds = (ROUNDS * ROUND_MS * 4 + 6000) / 1000;
    assert.ok(failingSeen[429] < seconds * 10, `429 answers ${failingSeen[429]} in ~${seconds} s`);
    figure(t, `load held: ${requests} app requests at ${RPS} req/s, all 200, across ${Object.keys(configs).length} apps`);
  } finally {
    for (const a of Object.values(apps)) await a.stop('SIGKILL');
    await healthy.close();
  }
  for (const name of ['closed', 'blackhole', 'failing']) checkQuiet(apps[name], name);
});

test(`a collector that comes back after ${DOWN_MS / 1000} s: later spans, logs and metrics arrive`, async (t) => {
  const port = await freePort();
  const app = await startLoadApp({
    WORK_MS: '2',
    OTEL_SERVICE_NAME: 'comes-back',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
  let receiver;
  try {
    const down = await steadyLoad(`${app.appUrl}/work`, { rps: 200, durationMs: DOWN_MS });
    receiver = await otlpReceiverOn(port);
    const upAt = Date.now();
    const upNs = BigInt(upAt) * 1_000_000n;
    let sent = down.count;
    await waitFor(
      async () => {
        sent += (await steadyLoad(`${app.appUrl}/work`, { rps: 200, durationMs: 500 })).count;
        const fresh = receiver.spans().filter((s) => BigInt(s.startTimeUnixNano) >= upNs);
        return fresh.length > 0 && receiver.logRecords().length > 0 && receiver.metrics().length > 0;
      },
      30_000,
      0,
    );
    const resumedMs = Date.now() - upAt;
    const p = await probe(app.appUrl);
    figure(
      t,
      `collector back after ${DOWN_MS / 1000} s: export resumed within ${(resumedMs / 1000).toFixed(1)} s (${receiver.spans().length} spans, ${receiver.logRecords().length} log records, ${receiver.metrics().length} metrics received; ${sent} requests sent); RSS ${(p.rss / MB).toFixed(0)} MB`,
    );
    assert.deepEqual(p.unhandled, []);
    assert.ok(p.rss < 300 * MB);
  } finally {
    await app.stop('SIGKILL');
    await receiver?.close();
  }
  checkQuiet(app, 'comes back');
});
