// Hot path: the facade vs the raw OTel SDK instrument vs prom-client, in one process.
//   node bench/metrics.js
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import client from 'prom-client';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { MetricsCollector } from '../dist/index.js';
import { setExemplarsEnabled } from '../dist/metrics/exemplars.js';
import { runCases, fmt, median, printTable, saveSection } from './harness.js';

const N = Number(process.env.BENCH_ITERATIONS ?? 1_000_000);
const facade = new MetricsCollector({ isolated: true });
// A reader is attached, as in a real app: without one the SDK instruments record nothing.
const meter = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] }).getMeter('bench');
const otelCounter = meter.createCounter('otel.counter');
const otelGauge = meter.createGauge('otel.gauge');
const otelHist = meter.createHistogram('otel.hist');
const reg = new client.Registry();
const promCounter = new client.Counter({ name: 'prom_counter', help: 'h', registers: [reg] });
const promCounterL = new client.Counter({ name: 'prom_counter_l', help: 'h', labelNames: ['method', 'status'], registers: [reg] });
const promGauge = new client.Gauge({ name: 'prom_gauge', help: 'h', registers: [reg] });
const promHistL = new client.Histogram({ name: 'prom_hist_l', help: 'h', labelNames: ['method', 'status'], registers: [reg] });
const bound = facade.counter('bound.counter', { method: 'GET', status: '200' });
const plain = { n: 0 };

// Attribute objects are fresh literals per call, as application code writes them.
const r = runCases(
  {
    'floor: obj.n++': (n) => {
      for (let i = 0; i < n; i++) plain.n++;
    },
    'counter, no attrs: facade': (n) => {
      for (let i = 0; i < n; i++) facade.incrementCounter('c.none');
    },
    'counter, no attrs: raw OTel': (n) => {
      for (let i = 0; i < n; i++) otelCounter.add(1);
    },
    'counter, no attrs: prom-client': (n) => {
      for (let i = 0; i < n; i++) promCounter.inc();
    },
    'gauge: facade': (n) => {
      for (let i = 0; i < n; i++) facade.recordGauge('g.none', i);
    },
    'gauge: raw OTel': (n) => {
      for (let i = 0; i < n; i++) otelGauge.record(i);
    },
    'gauge: prom-client': (n) => {
      for (let i = 0; i < n; i++) promGauge.set(i);
    },
    'counter, 2 attrs: facade': (n) => {
      for (let i = 0; i < n; i++) facade.incrementCounter('c.attrs', 1, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'counter, 2 attrs: raw OTel': (n) => {
      for (let i = 0; i < n; i++) otelCounter.add(1, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'counter, 2 attrs: prom-client': (n) => {
      for (let i = 0; i < n; i++) promCounterL.inc({ method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'counter, bound handle: facade': (n) => {
      for (let i = 0; i < n; i++) bound.add();
    },
    'histogram, 2 attrs: facade': (n) => {
      for (let i = 0; i < n; i++) facade.recordHistogram('h.attrs', i % 1000, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'histogram, 2 attrs: raw OTel': (n) => {
      for (let i = 0; i < n; i++) otelHist.record(i % 1000, { method: 'GET', status: i & 1 ? '200' : '500' });
    },
    'histogram, 2 attrs: prom-client': (n) => {
      for (let i = 0; i < n; i++) promHistL.observe({ method: 'GET', status: i & 1 ? '200' : '500' }, (i % 1000) / 1000);
    },
  },
  { iterations: N },
);

// Exemplars: the same record inside an active sampled span, with exemplars on and off.
new NodeTracerProvider().register();
const tracer = trace.getTracer('bench');
const ex = {};
tracer.startActiveSpan('bench', (span) => {
  const attrs = { method: 'GET', status: '200' };
  const cases = {
    on: (n) => {
      for (let i = 0; i < n; i++) facade.recordHistogram('h.ex', i % 1000, attrs);
    },
    off: (n) => {
      for (let i = 0; i < n; i++) facade.recordHistogram('h.ex', i % 1000, attrs);
    },
  };
  for (let round = 0; round < 5; round++) {
    for (const k of ['on', 'off']) {
      setExemplarsEnabled(k === 'on');
      const t0 = process.hrtime.bigint();
      cases[k](N);
      (ex[k] ??= []).push(Number(process.hrtime.bigint() - t0) / N);
    }
  }
  span.end();
});
for (const k of ['on', 'off']) {
  const s = ex[k].sort((a, b) => a - b);
  r[`histogram in a sampled span, exemplars ${k}`] = { median: median(s), min: s[0], max: s[s.length - 1] };
}

// Ratios of medians, as bench/goals.js computes them from the saved medians.
const ratio = (a, b) => (r[a].median / r[b].median).toFixed(2) + '×';
const rows = Object.entries(r).map(([k, v]) => [k, fmt(v.median).padStart(10), `(${fmt(v.min)}..${fmt(v.max)})`]);
printTable(`metrics hot path, ns/op (median of 5 × ${N.toLocaleString()} calls)`, rows);
const ratios = {
  'counter, no attrs: facade / prom-client': ratio('counter, no attrs: facade', 'counter, no attrs: prom-client'),
  'counter, no attrs: facade / raw OTel': ratio('counter, no attrs: facade', 'counter, no attrs: raw OTel'),
  'gauge: facade / prom-client': ratio('gauge: facade', 'gauge: prom-client'),
  'counter, 2 attrs: facade / prom-client': ratio('counter, 2 attrs: facade', 'counter, 2 attrs: prom-client'),
  'counter, 2 attrs: facade / raw OTel': ratio('counter, 2 attrs: facade', 'counter, 2 attrs: raw OTel'),
  'bound handle / obj.n++ floor': ratio('counter, bound handle: facade', 'floor: obj.n++'),
  'histogram, 2 attrs: facade / prom-client': ratio('histogram, 2 attrs: facade', 'histogram, 2 attrs: prom-client'),
  'histogram, 2 attrs: facade / raw OTel': ratio('histogram, 2 attrs: facade', 'histogram, 2 attrs: raw OTel'),
  'histogram in span: exemplars on / off': ratio('histogram in a sampled span, exemplars on', 'histogram in a sampled span, exemplars off'),
};
printTable(
  'ratios (lower is faster)',
  Object.entries(ratios).map(([k, v]) => [k, v]),
);
saveSection('metrics', { iterations: N, repeats: 5, nsPerOp: r });
