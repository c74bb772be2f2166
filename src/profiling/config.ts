import { getConfig } from '../config/index.js';

/** `MONITORING_PROFILING=false` removes the `/debug/pprof` routes and the page's profile buttons. */
export function profilingEnabled(): boolean {
  return getConfig().monitoring.profiling;
}

/** `?seconds=` when absent, and its bounds (Go's `/debug/pprof/profile` also defaults to a short window). */
export const DEFAULT_SECONDS = 10;
export const MAX_SECONDS = 60;

/**
 * CPU sampling period: 100 Hz, the rate Go's profiler uses (and Datadog's and Pyroscope's Node
 * profilers: 99-100 Hz). V8's own default of 1 kHz costs more while a profile runs for detail a
 * flame graph of a 10 s window does not need.
 */
export const CPU_INTERVAL_US = 10_000;

/** Heap sampling: on average one allocation sampled per this many bytes (Datadog's Node profiler's default). */
export const HEAP_INTERVAL_BYTES = 512 * 1024;

/** Spans remembered for labelling during one CPU profile; past this, samples go unlabelled. */
export const MAX_PROFILE_SPANS = 200_000;
