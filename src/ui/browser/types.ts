// What the page reads from the JSON routes of src/ui/api.ts. The server's own types
// (src/recent/*.ts, src/http/health-routes.ts) live in Node-typed code this DOM-typed program does
// not compile, so the fields the page uses are restated here.

/** An OTel attribute value as JSON. */
export type AttributeValue = string | number | boolean | null | (string | number | boolean | null)[];

export interface Reply<T> {
  status: number;
  body: T;
}

export interface CheckView {
  status: string;
  /** Absent when the client is not authorized. */
  message?: string;
  details?: { target?: string };
  duration_ms?: number;
  age_seconds?: number;
}

/** `/api/overview` */
export interface Overview {
  authorized: boolean;
  howToAuthorize?: string;
  health: { status: string; checks: Record<string, CheckView> };
  readiness: { status: string; checks: Record<string, CheckView> };
  ui?: { sampleMs: number; refreshMs: number; profiling?: boolean };
  service?: { name: AttributeValue; version: AttributeValue; environment: AttributeValue };
  uptimeSeconds?: number;
  instrumentations?: InstrumentationView[];
  configuration?: ConfigurationView;
}

/** The effective configuration (src/config/effective.ts). */
export interface ConfigurationView {
  source: string;
  file?: string;
  invalid?: string;
  parts: Record<string, { origin: string; value: unknown }>;
  warnings: string[];
}

/** One instrumentation's state (src/sdk/instrumentation-status.ts). */
export interface InstrumentationView {
  name: string;
  enabled: boolean;
  active: boolean;
  libraries: { name: string; version?: string }[];
  loadedTooEarly?: string[];
  error?: string;
  note?: string;
}

export interface MetricRow {
  name: string;
  type: string;
  unit: string;
  description: string;
  attributes: Record<string, AttributeValue>;
  value: number;
  rate?: number | null;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
  history?: (number | null)[];
}

/** `/api/metrics` */
export interface MetricsReply {
  authorized: boolean;
  /** Every series the process has; `series` holds the first of them (see src/ui/api.ts). */
  totalSeries?: number;
  sampleMs: number;
  times: number[];
  series: MetricRow[];
}

export interface LatencyRow {
  name: string;
  counts: number[];
  errors: number;
  samples: string[][];
  errorSamples: string[];
}

/** `/api/latency` */
export interface LatencyReply {
  authorized?: boolean;
  buckets: string[];
  rows: LatencyRow[];
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  complete: boolean;
  startTimeMs: number;
  durationMs: number;
  spanCount: number;
  status: string;
  sampled: boolean;
  partial: boolean;
}

/** `/api/traces` */
export interface TracesReply {
  authorized?: boolean;
  capacitySpans: number;
  keptSpans: number;
  traces: TraceSummary[];
}

export interface SpanView {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeMs: number;
  durationMs: number;
  status: { code: number; message?: string };
  attributes: Record<string, AttributeValue>;
  events: { name: string; timeMs: number; attributes?: Record<string, AttributeValue> }[];
  scope?: string;
}

export interface LogLine {
  time: number;
  level: string;
  msg: string;
  spanId?: string;
  fields?: Record<string, unknown>;
}

/** `/api/trace?id=`: on an error status, the router's JSON error (`message`) instead. */
export interface TraceReply {
  authorized?: boolean;
  message?: string;
  spans: SpanView[];
  logs: LogLine[];
}

/** A call frame of V8's profiles (`.cpuprofile`, `.heapprofile`). */
export interface CallFrameJson {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** `/debug/pprof/profile?format=cpuprofile`: Chrome DevTools' `.cpuprofile`. */
export interface CpuProfileJson {
  nodes: { id: number; callFrame: CallFrameJson; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HeapNodeJson {
  callFrame: CallFrameJson;
  selfSize: number;
  children: HeapNodeJson[];
}

/** `/debug/pprof/heap?format=heapprofile`: Chrome DevTools' `.heapprofile`. */
export interface HeapProfileJson {
  head: HeapNodeJson;
}

/** `/debug/pprof/latest?id=N&format=operations`: CPU time per span name. */
export interface OperationsReply {
  totalCpuMs: number;
  operations: {
    spanName: string | null;
    cpuMs: number;
    samples: number;
    share: number;
    exampleTraceId: string | null;
    exampleKept: boolean;
  }[];
}

/** The router's JSON error. */
export interface ErrorReply {
  error: string;
  message: string;
}
