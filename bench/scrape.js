// Scrape cost: 10k series through the whole pull path (OTel reader + our producer + our
// serializer) vs prom-client's registry.metrics() vs OTel's own PrometheusSerializer.
//   node bench/scrape.js
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import client from 'prom-client';
import { MetricsCollector } from '../dist/index.js';
import { StoreMetricProducer } from '../dist/metrics/producer.js';
import { serializeMetrics } from '../dist/metrics/exposition.js';
import { fmt, printTable, saveSection } from './harness.js';

const INSTRUMENTS = 100;
const VALUES = 100;
const REPEATS = 11;
const WARMUP = 3;

// The three contenders run interleaved (ours, OTel, prom-client, ours, …) after a few warm-up
// rounds each, so JIT warm-up and the garbage the setup left are not charged to whichever runs first.
async function timeAll(fns) {
  for (let w = 0; w < WARMUP; w++) for (const fn of Object.values(fns)) await fn();
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < REPEATS; i++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t0 = process.hrtime.bigint();
      await fn();
      samples[k].push(Number(process.hrtime.bigint() - t0));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([k, xs]) => {
      xs.sort((a, b) => a - b);
      return [k, { median: xs[REPEATS >> 1], min: xs[0], max: xs[REPEATS - 1] }];
    }),
  );
}

async function scenario(kind) {
  const facade = new MetricsCollector({ isolated: true });
  const exporter = new PrometheusExporter({ preventServerStart: true, metricProducers: [new StoreMetricProducer(facade.store)] });
  new MeterProvider({ readers: [exporter] });
  const reg = new client.Registry();
  for (let i = 0; i < INSTRUMENTS; i++) {
    const prom =
      kind === 'counter'
        ? new client.Counter({ name: `bench_c${i}_total`, help: 'h', labelNames: ['v'], registers: [reg] })
        : new client.Histogram({ name: `bench_h${i}_seconds`, help: 'h', labelNames: ['v'], registers: [reg] });
    if (kind === 'histogram') facade.declareHistogram(`bench.h${i}`, { unit: 's', description: 'h' });
    for (let v = 0; v < VALUES; v++) {
      if (kind === 'counter') {
        facade.incrementCounter(`bench.c${i}`, v + 1, { v: String(v) });
        prom.inc({ v: String(v) }, v + 1);
      } else {
        facade.recordHistogram(`bench.h${i}`, v / 100, { v: String(v) });
        prom.observe({ v: String(v) }, v / 100);
      }
    }
  }
  const otelSerializer = new PrometheusSerializer();
  let ourText = '';
  const { ours, otel, prom } = await timeAll({
    ours: async () => {
      ourText = serializeMetrics((await exporter.collect()).resourceMetrics);
    },
    otel: async () => {
      otelSerializer.serialize((await exporter.collect()).resourceMetrics);
    },
    prom: () => reg.metrics(),
  });
  return { ours, otel, prom, lines: ourText.split('\n').length };
}

const out = {};
for (const kind of ['counter', 'histogram']) out[kind] = await scenario(kind);
const rows = [];
for (const [kind, r] of Object.entries(out)) {
  rows.push([
    `10k ${kind} series (${r.lines} lines): ours`,
    fmt(r.ours.median),
    `ratio to prom-client ${(r.ours.median / r.prom.median).toFixed(2)}×`,
  ]);
  rows.push([`10k ${kind} series: OTel PrometheusSerializer`, fmt(r.otel.median), `${(r.otel.median / r.prom.median).toFixed(2)}×`]);
  rows.push([`10k ${kind} series: prom-client`, fmt(r.prom.median), '1.00×']);
}
printTable(`scrape, median of ${REPEATS}`, rows);
saveSection('scrape', { repeats: REPEATS, ...out });
