import type * as Zlib from 'node:zlib';
import type * as PprofFormat from 'pprof-format';
import { fileURLToPath } from 'node:url';
import { builtin } from '../util/builtin.js';
import { IDLE, ROOT, type CallFrame, type CpuProfile, type HeapNode, type HeapProfile } from './devtools.js';
import { sampleDurations, sampleTimes, type SampleSpans } from './timeline.js';

// profile.proto is written with pprof-format (the encoder Datadog's and Pyroscope's Node
// profilers use), loaded with the first profile. What is hand-written here is only the mapping
// from V8's call trees onto its messages.

type Pf = typeof PprofFormat;
let pf: Promise<Pf> | undefined;
const load = () => (pf ??= import('pprof-format'));

/** Locations and functions of a profile, one per distinct call frame. */
class Frames {
  readonly strings: InstanceType<Pf['StringTable']>;
  readonly functions: PprofFormat.Function[] = [];
  readonly locations: PprofFormat.Location[] = [];
  /** One mapping for the whole process, symbolized already (else `go tool pprof` asks for the binary). */
  readonly mapping: PprofFormat.Mapping[];
  private readonly byKey = new Map<string, number>();

  constructor(private readonly m: Pf) {
    this.strings = new m.StringTable();
    this.mapping = [
      new m.Mapping({
        id: 1,
        filename: this.strings.dedup(process.execPath),
        hasFunctions: true,
        hasFilenames: true,
        hasLineNumbers: true,
      }),
    ];
  }

  /** The location id of a call frame (function start line: V8 reports frames per function). */
  location(cf: CallFrame): number {
    const key = `${cf.functionName}\0${cf.url}\0${cf.scriptId}\0${cf.lineNumber}\0${cf.columnNumber}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.locations.length + 1;
      const line = Math.max(0, cf.lineNumber + 1);
      const fn = new this.m.Function({
        id,
        name: this.strings.dedup(cf.functionName || '(anonymous)'),
        filename: this.strings.dedup(fileName(cf)),
        startLine: line,
      });
      this.functions.push(fn);
      this.locations.push(new this.m.Location({ id, mappingId: 1, line: [{ functionId: id, line }] }));
      this.byKey.set(key, id);
    }
    return id;
  }
}

function fileName(cf: CallFrame): string {
  if (cf.url.startsWith('file://')) {
    try {
      return fileURLToPath(cf.url);
    } catch {
      return cf.url;
    }
  }
  return cf.url;
}

/** Leaf-first location ids of a node's stack, without V8's `(root)`. */
function stacks<N extends { id: number; callFrame: CallFrame }>(nodes: Iterable<N>, parentOf: Map<number, N>, frames: Frames) {
  const memo = new Map<number, number[]>();
  const of = (node: N): number[] => {
    let s = memo.get(node.id);
    if (s !== undefined) return s;
    if (node.callFrame.functionName === ROOT && !parentOf.has(node.id)) s = [];
    else {
      const parent = parentOf.get(node.id);
      s = [frames.location(node.callFrame), ...(parent ? of(parent) : [])];
    }
    memo.set(node.id, s);
    return s;
  };
  const byId = new Map<number, N>();
  for (const n of nodes) byId.set(n.id, n);
  return (id: number) => {
    const node = byId.get(id);
    return node ? of(node) : [];
  };
}

interface Header {
  sampleTypes: [string, string][];
  periodType: [string, string];
  period: number;
  startedAtMs: number;
  durationNanos: number;
}

/** The profile message, encoded (yielding to the event loop on large ones) and gzipped. */
async function encode(m: Pf, frames: Frames, sample: PprofFormat.Sample[], h: Header): Promise<Buffer> {
  const st = frames.strings;
  const type = ([t, unit]: [string, string]) => new m.ValueType({ type: st.dedup(t), unit: st.dedup(unit) });
  const out = new m.Profile({
    sampleType: h.sampleTypes.map(type),
    periodType: type(h.periodType),
    period: h.period,
    timeNanos: BigInt(Math.round(h.startedAtMs)) * 1_000_000n,
    durationNanos: h.durationNanos,
    sample,
    mapping: frames.mapping,
    location: frames.locations,
    function: frames.functions,
    stringTable: st,
  });
  const bytes = await out.encodeAsync();
  const zlib = builtin<typeof Zlib>('node:zlib');
  return new Promise((resolve, reject) => zlib.gzip(bytes, (err, gz) => (err ? reject(err) : resolve(gz))));
}

/** The labels a CPU profile's samples can carry. */
export type LabelKey = 'span_name' | 'trace_id';

/**
 * A CPU profile as gzip-compressed profile.proto: sample types `samples/count` and
 * `cpu/nanoseconds`, each sample labelled `span_name` and `trace_id` of the span it is
 * charged to. Idle samples are left out (they are no CPU time).
 */
export async function cpuToPprof(
  profile: CpuProfile,
  labels: SampleSpans | undefined,
  labelKeys: readonly LabelKey[],
  intervalUs: number,
  startedAtMs: number,
): Promise<Buffer> {
  const m = await load();
  const frames = new Frames(m);
  const parentOf = new Map<number, (typeof profile.nodes)[number]>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parentOf.set(c, node);
  const stackOf = stacks(profile.nodes, parentOf, frames);
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === IDLE).map((n) => n.id));
  const durations = sampleDurations(profile, sampleTimes(profile));
  const keys = labelKeys.map((k) => [k, frames.strings.dedup(k)] as const);
  // Labels only for the spans some sample landed in (a busy window sees far more spans than
  // samples); `id` says which label sets are equal, so samples with equal ones add up.
  const spanLabels = new Map<number, { id: string; label: PprofFormat.LabelInput[] }>();
  const labelsOf = (i: number) => {
    let l = spanLabels.get(i);
    if (l === undefined) {
      const s = labels!.spans[i]!;
      const label = keys.map(([k, key]) => ({ key, str: frames.strings.dedup(k === 'span_name' ? s.name : s.traceId) }));
      spanLabels.set(i, (l = { id: label.map((x) => x.str).join(','), label }));
    }
    return l;
  };
  // One pprof sample per (node, labels): counts and CPU time added up.
  const agg = new Map<string, { node: number; label: PprofFormat.LabelInput[]; count: number; ns: number }>();
  profile.samples.forEach((node, i) => {
    if (idle.has(node)) return;
    const span = labels?.ofSample[i] ?? -1;
    const l = span >= 0 && keys.length > 0 ? labelsOf(span) : undefined;
    const key = l ? `${node}:${l.id}` : `${node}`;
    let a = agg.get(key);
    if (a === undefined) agg.set(key, (a = { node, label: l?.label ?? [], count: 0, ns: 0 }));
    a.count++;
    a.ns += Math.round(durations[i]! * 1000);
  });
  const sample = [...agg.values()].map((a) => new m.Sample({ locationId: stackOf(a.node), value: [a.count, a.ns], label: a.label }));
  return encode(m, frames, sample, {
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    periodType: ['cpu', 'nanoseconds'],
    period: intervalUs * 1000,
    startedAtMs,
    durationNanos: Math.max(0, Math.round((profile.endTime - profile.startTime) * 1000)),
  });
}

/**
 * A sampling heap profile as gzip-compressed profile.proto: `inuse_objects/count` and
 * `inuse_space/bytes` per allocating stack, each sampled allocation scaled to the allocations
 * it stands for the way V8 scales its own totals (Poisson sampling: 1 / (1 - e^(-size/interval))).
 */
export async function heapToPprof(profile: HeapProfile, intervalBytes: number, startedAtMs: number, durationMs: number): Promise<Buffer> {
  const m = await load();
  const frames = new Frames(m);
  const parentOf = new Map<number, HeapNode>();
  const all: HeapNode[] = [];
  const walk = [profile.head];
  while (walk.length > 0) {
    const node = walk.pop()!;
    all.push(node);
    for (const c of node.children) {
      parentOf.set(c.id, node);
      walk.push(c);
    }
  }
  const stackOf = stacks(all, parentOf, frames);
  const agg = new Map<number, { objects: number; bytes: number }>();
  for (const s of profile.samples) {
    const scale = 1 / (1 - Math.exp(-s.size / intervalBytes));
    let a = agg.get(s.nodeId);
    if (a === undefined) agg.set(s.nodeId, (a = { objects: 0, bytes: 0 }));
    a.objects += scale;
    a.bytes += scale * s.size;
  }
  const sample = [...agg].map(
    ([node, a]) => new m.Sample({ locationId: stackOf(node), value: [Math.round(a.objects), Math.round(a.bytes)] }),
  );
  return encode(m, frames, sample, {
    sampleTypes: [
      ['inuse_objects', 'count'],
      ['inuse_space', 'bytes'],
    ],
    periodType: ['space', 'bytes'],
    period: intervalBytes,
    startedAtMs,
    durationNanos: Math.round(durationMs * 1e6),
  });
}
