// Cost of the recent-spans store on the tracked-call benchmark: the same PerformanceTracker
// wrapper through a tracer provider without and with RecentSpanProcessor (issue budget ≤ 5 %).
// Variants alternate in pairs of 100,000-call runs; the figure is the median of the per-pair
// ratios, which cancels the drift of a machine shared with other work.
// Run: npx tsc -p tsconfig.json && node --expose-gc test/ui/bench-recent.mjs
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PerformanceTracker } from '../../dist/index.js';
import { RecentSpanProcessor, recentSpans } from '../../dist/recent/spans.js';

const N = Number(process.env.BENCH_N ?? 100000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 21);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
metrics.setGlobalMeterProvider(new MeterProvider());
// The tracker uses the global tracer, so one provider with a switchable processor: the
// switch itself (one property read per span end) is in both variants.
const ring = new RecentSpanProcessor();
const toggle = {
  on: false,
  onStart(span, ctx) {
    if (toggle.on) ring.onStart(span, ctx);
  },
  onEnd(span) {
    if (toggle.on) ring.onEnd(span);
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [toggle] }));

function work(a, b) {
  return (a * 31 + b) | 0;
}
const tracked = new PerformanceTracker().trackPerformance(work);
let sink = 0;
const variants = {
  'tracked call, no ring': [false, (i) => (sink += tracked(i, 1))],
  'tracked call + RecentSpanProcessor': [true, (i) => (sink += tracked(i, 1))],
};
function timeOnce([on, fn]) {
  toggle.on = on;
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / N;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const fn of Object.values(variants)) timeOnce(fn);
const s = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < REPEATS; r++) for (const [k, fn] of Object.entries(variants)) s[k].push(timeOnce(fn));
const ns = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)]));
for (const [k, v] of Object.entries(ns)) console.log(`${k}: ${v.toFixed(0)} ns/op`);
const ratios = s['tracked call + RecentSpanProcessor'].map((v, i) => v / s['tracked call, no ring'][i]);
const over = median(ratios) - 1;
console.log(`overhead: ${(over * 100).toFixed(1)} % (budget 5 %); ring holds ${recentSpans().length} spans`);
if (sink === 0.5) console.log(sink);
