// Tracker overhead, measured in one run: a tracked sync call vs a raw OTel
// `tracer.startActiveSpan` + `histogram.record` doing the same work, and vs the bare call.
// Medians of 5 repeats × 200,000 calls, variants interleaved. Run: npm run build && node bench/tracker.js
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { metrics, trace } from '@opentelemetry/api';
import { PerformanceTracker } from '../dist/index.js';
import { median, saveSection } from './harness.js';

const N = Number(process.env.BENCH_N ?? 200000);
const REPEATS = 5;

// Recording, sampled spans (AlwaysOn) through the same provider for both; no exporter, so the
// figures are the tracking cost itself.
new NodeTracerProvider().register();
metrics.setGlobalMeterProvider(new MeterProvider());
const tracer = trace.getTracer('bench-raw');
const hist = metrics.getMeter('bench-raw').createHistogram('raw.duration', { unit: 's' });
const okAttrs = { operation: 'work', outcome: 'success' };

let sink = 0;
function work(a, b) {
  return (a * 31 + b) | 0;
}

const tracker = new PerformanceTracker();
const tracked = tracker.trackPerformance(work);

function raw(a, b) {
  return tracer.startActiveSpan('work', (span) => {
    const t0 = performance.now();
    try {
      return work(a, b);
    } finally {
      hist.record((performance.now() - t0) / 1000, okAttrs);
      span.end();
    }
  });
}

const variants = {
  'bare call': (i) => (sink += work(i, 1)),
  'raw startActiveSpan + histogram.record': (i) => (sink += raw(i, 1)),
  'tracked wrapper (trackPerformance(fn))': (i) => (sink += tracked(i, 1)),
  "tracked block (trackPerformance('work', fn))": (i) => (sink += tracker.trackPerformance('work', () => work(i, 1))),
};

function timeOnce(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / N;
}

for (const fn of Object.values(variants)) timeOnce(fn); // warm-up
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < REPEATS; r++) for (const [k, fn] of Object.entries(variants)) samples[k].push(timeOnce(fn));

const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const rawNs = ns['raw startActiveSpan + histogram.record'];
console.log(`PerformanceTracker overhead — node ${process.version}, ${N} calls × ${REPEATS} repeats (median)\n`);
console.log('| variant | ns/op | vs raw OTel | vs bare |');
console.log('| --- | ---: | ---: | ---: |');
for (const [k, v] of Object.entries(ns)) {
  console.log(`| ${k} | ${v.toFixed(0)} | ${(v / rawNs).toFixed(2)}× | ${(v / ns['bare call']).toFixed(1)}× |`);
}
const ratio = ns['tracked wrapper (trackPerformance(fn))'] / rawNs;
console.log(`\ngoal: tracked / raw ≤ 1.15× → ${ratio.toFixed(2)}× ${ratio <= 1.15 ? 'met' : 'NOT met'}`);
saveSection('tracker', { iterations: N, repeats: REPEATS, nsPerOp: ns });
if (sink === 0.5) console.log(sink);
