// Serialization cost per series, in-process: the facade's series written from the store by the
// scrape's writer (src/metrics/exposition.ts, in 5 ms steps, each step's text encoded to bytes
// as the response does) against prom-client's registry.metrics(), and against the path /metrics
// took before it streamed (the store's OTel data points, then the same text serializer). 1k /
// 10k / 100k series of counters and histograms: 10 metrics, labels id and route, prom-client's
// default buckets for both; medians of interleaved rounds after warm-ups; also the longest step.
// Over HTTP as Prometheus sees it: bench/scale.js.
//   npm run build && node bench/serialize.js
import client from 'prom-client';
import { MetricsCollector } from '../dist/index.js';
import { ExpositionWriter, serializeMetrics } from '../dist/metrics/exposition.js';
import { StoreMetricProducer } from '../dist/metrics/producer.js';
import { printTable, saveSection } from './harness.js';

const METRICS = 10;
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ROUNDS = { 1000: 15, 10000: 9, 100000: 5 };
const SLICE_MS = 5;

function setUp(kind, series) {
  const facade = new MetricsCollector({ isolated: true });
  const registry = new client.Registry();
  const per = series / METRICS;
  for (let k = 0; k < METRICS; k++) {
    const opts = { name: `scale_${kind}_${k}`, help: 'scale bench', labelNames: ['id', 'route'], registers: [registry] };
    const prom =
      kind === 'counter'
        ? new client.Counter({ ...opts, name: `${opts.name}_total` })
        : new client.Histogram({ ...opts, name: `${opts.name}_seconds`, buckets: BUCKETS });
    const name = `scale.${kind}.${k}`;
    if (kind === 'counter') facade.declareCounter(name, { description: 'scale bench', cardinalityLimit: per + 10 });
    else facade.declareHistogram(name, { description: 'scale bench', unit: 's', buckets: BUCKETS, cardinalityLimit: per + 10 });
    for (let i = 0; i < per; i++) {
      const labels = { id: String(i), route: `/api/item/${i % 100}` };
      if (kind === 'counter') {
        facade.incrementCounter(name, i + 1, labels);
        prom.inc(labels, i + 1);
      } else {
        facade.recordHistogram(name, (i % 1000) / 100, labels);
        prom.observe(labels, (i % 1000) / 100);
      }
    }
  }
  return { facade, registry };
}

const rm = { resource: { attributes: {} }, scopeMetrics: [] };

/** The scrape's writer, in steps as a scrape runs it; returns the bytes and the longest step. */
function ours(store) {
  const w = new ExpositionWriter({ rm, store });
  let bytes = 0;
  let longest = 0;
  for (;;) {
    const t0 = performance.now();
    const s = w.step(t0 + SLICE_MS);
    if (s === null) break;
    bytes += Buffer.from(s).length;
    longest = Math.max(longest, performance.now() - t0);
  }
  return { bytes, longest };
}

async function size(kind, series) {
  const { facade, registry } = setUp(kind, series);
  const before = () => Buffer.byteLength(serializeMetrics(new StoreMetricProducer(facade.store).collectSync().resourceMetrics));
  const contenders = { ours: () => ours(facade.store), before, prom: async () => Buffer.byteLength(await registry.metrics()) };
  const times = { ours: [], before: [], prom: [] };
  const longest = [];
  let bytes = {};
  for (let r = 0; r < ROUNDS[series] + 2; r++) {
    for (const [k, f] of Object.entries(contenders)) {
      const t0 = performance.now();
      const out = await f();
      const ms = performance.now() - t0;
      if (r < 2) continue; // warm-up
      times[k].push(ms);
      if (k === 'ours') longest.push(out.longest);
      bytes[k] = k === 'ours' ? out.bytes : out;
    }
  }
  const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return {
    ours: med(times.ours),
    before: med(times.before),
    prom: med(times.prom),
    longestStep: Math.max(...longest),
    bytes: { ours: bytes.ours, prom: bytes.prom },
    rounds: ROUNDS[series],
  };
}

const rows = [];
const saved = { sizes: [1000, 10_000, 100_000], counter: {}, histogram: {} };
for (const kind of ['counter', 'histogram']) {
  for (const series of saved.sizes) {
    const r = await size(kind, series);
    saved[kind][series] = r;
    const us = (ms) => `${((ms * 1000) / series).toFixed(2)} µs/series`;
    rows.push([
      `${kind} × ${series}`,
      `ours ${r.ours.toFixed(1)} ms (${us(r.ours)}, longest step ${r.longestStep.toFixed(1)} ms, ${(r.bytes.ours / 1e6).toFixed(1)} MB)`,
      `before ${r.before.toFixed(1)} ms`,
      `prom-client ${r.prom.toFixed(1)} ms (${us(r.prom)}, ${(r.bytes.prom / 1e6).toFixed(1)} MB)`,
      `${(r.ours / r.prom).toFixed(2)}× prom-client`,
    ]);
  }
}
printTable('Serialization in-process, medians', rows);
saveSection('serialize', saved);
