// What handing spans to a running CPU profile costs per span: a tracer provider with the status
// page's RecentSpanProcessor, 50,000 spans started and ended, without and with the profile's span
// tap installed (the profiler itself is not started). Variants alternate; the figure is the median
// of the per-pair differences, which cancels the drift of a machine shared with other work.
// Run: npm run build && node test/profiling/bench-span-tap.mjs
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { RecentSpanProcessor } from '../../dist/recent/spans.js';
import { profilingState } from '../../dist/profiling/session.js';
import { SpanTimeline } from '../../dist/profiling/timeline.js';

const N = 50_000;
const tracer = new BasicTracerProvider({ spanProcessors: [new RecentSpanProcessor()] }).getTracer('bench');

/** Microseconds per span started, given an attribute and ended. */
function run() {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const s = tracer.startSpan('GET /orders/:id');
    s.setAttribute('order.id', i);
    s.end();
  }
  return ((performance.now() - t0) * 1000) / N;
}

run();
const diffs = [];
const without = [];
for (let r = 0; r < 15; r++) {
  const a = run();
  profilingState().spanTap = new SpanTimeline().tap;
  const b = run();
  profilingState().spanTap = undefined;
  without.push(a);
  diffs.push(b - a);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(
  `per span: ${median(without).toFixed(2)} us without the tap, +${median(diffs).toFixed(2)} us with it (median of ${diffs.length} pairs)`,
);
