import { HttpError, notAuthorized, safeStringify, type RouteContext, type RouteHandler, type RouteReply } from '../http/router.js';
import { maskUrlCredentials } from '../util/redact.js';
import { CPU_INTERVAL_US, DEFAULT_SECONDS, HEAP_INTERVAL_BYTES, MAX_SECONDS, profilingEnabled } from './config.js';
import { cpuByOperation, type OperationsReport } from './operations.js';
import { cpuToPprof, heapToPprof, type LabelKey } from './pprof.js';
import { recordCpu, recordHeap, type CpuRecording, type HeapRecording } from './record.js';
import { profilingState } from './session.js';

type Kind = 'cpu' | 'heap';

/** A finished profile as kept (the latest of each kind). */
export interface Kept {
  id: number;
  kind: Kind;
  startedAt: number;
  durationMs: number;
  cpu?: CpuRecording;
  heap?: HeapRecording;
  /** Encoded once per label choice. */
  pprof: Map<string, Promise<Buffer>>;
  operations?: OperationsReport;
}

const FORMATS: Record<Kind, readonly string[]> = {
  cpu: ['pprof', 'cpuprofile', 'operations'],
  heap: ['pprof', 'heapprofile'],
};

function authorize(ctx: RouteContext): void {
  if (!ctx.authorized) throw notAuthorized(ctx);
}

function secondsOf(ctx: RouteContext): number {
  const raw = ctx.query.seconds;
  if (raw === undefined) return DEFAULT_SECONDS;
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_SECONDS)
    throw new HttpError(400, `seconds must be a number > 0 and <= ${MAX_SECONDS}, got ${JSON.stringify(raw.slice(0, 40))}`);
  return n;
}

function formatOf(ctx: RouteContext, kind: Kind, allowed: readonly string[]): string {
  const f = ctx.query.format ?? 'pprof';
  if (!allowed.includes(f)) throw new HttpError(400, `format must be one of ${allowed.join(', ')} for a ${kind} profile`);
  return f;
}

const LABEL_KEYS: readonly LabelKey[] = ['span_name', 'trace_id'];

/**
 * `?labels=`: which labels a CPU profile's pprof samples carry (default both). A backend that
 * turns sample labels into series, as Pyroscope does, wants `span_name` alone: a trace id per
 * series would be one series per request.
 */
function labelKeysOf(ctx: RouteContext): LabelKey[] {
  const raw = ctx.query.labels;
  if (raw === undefined) return [...LABEL_KEYS];
  if (raw === 'none') return [];
  const keys = raw.split(',').map((k) => k.trim());
  if (!keys.every((k): k is LabelKey => (LABEL_KEYS as readonly string[]).includes(k))) {
    throw new HttpError(400, `labels must be none or a comma-separated list of ${LABEL_KEYS.join(', ')}`);
  }
  return LABEL_KEYS.filter((k) => keys.includes(k));
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

async function reply(kept: Kept, format: string, labelKeys: readonly LabelKey[]): Promise<RouteReply> {
  const headers: Record<string, string> = { 'X-Profile-Id': String(kept.id) };
  const file = `${kept.kind}-${stamp(kept.startedAt)}`;
  if (format === 'pprof') {
    const key = kept.kind === 'cpu' ? labelKeys.join(',') : '';
    let encoding = kept.pprof.get(key);
    if (encoding === undefined) {
      encoding =
        kept.kind === 'cpu'
          ? cpuToPprof(kept.cpu!.profile, kept.cpu!.spans, labelKeys, CPU_INTERVAL_US, kept.startedAt)
          : heapToPprof(kept.heap!.profile, HEAP_INTERVAL_BYTES, kept.startedAt, kept.durationMs);
      // Encoded once per profile and label choice; a failed encoding is not remembered.
      kept.pprof.set(
        key,
        encoding.catch((err: unknown) => {
          kept.pprof.delete(key);
          throw err;
        }),
      );
    }
    headers['Content-Disposition'] = `attachment; filename="${file}.pb.gz"`;
    return { status: 200, body: await kept.pprof.get(key), contentType: 'application/octet-stream', headers };
  }
  if (format === 'operations') {
    kept.operations ??= cpuByOperation(kept.cpu!);
    const body = { id: kept.id, startedAt: new Date(kept.startedAt).toISOString(), durationMs: kept.durationMs, ...kept.operations };
    // Span names are the app's data: no password in a URL leaves through here.
    return { status: 200, body: maskUrlCredentials(safeStringify(body)), contentType: 'application/json; charset=utf-8', headers };
  }
  headers['Content-Disposition'] = `attachment; filename="${file}.${format}"`;
  const profile = kept.kind === 'cpu' ? kept.cpu!.profile : kept.heap!.profile;
  return { status: 200, body: JSON.stringify(profile), contentType: 'application/json; charset=utf-8', headers };
}

/** What a profile cut short by its client answers (nobody reads it: the socket is gone). */
const GONE: RouteReply = {
  status: 499,
  body: { error: 'Client Closed Request', message: 'the client went away; the profile was stopped', status: 499 },
};

/**
 * Run one profile for the request: one at a time in the process (a second request meanwhile is
 * a 409), stopped early and dropped when the client goes away.
 */
async function run(ctx: RouteContext, kind: Kind): Promise<RouteReply> {
  authorize(ctx);
  const seconds = secondsOf(ctx);
  const format = formatOf(
    ctx,
    kind,
    FORMATS[kind].filter((f) => f !== 'operations'),
  );
  const labelKeys = labelKeysOf(ctx);
  if (ctx.method === 'HEAD')
    return { status: 200, body: '', contentType: format === 'pprof' ? 'application/octet-stream' : 'application/json; charset=utf-8' };
  const state = profilingState();
  const busy = state.running;
  if (busy) {
    const left = Math.max(1, Math.ceil((busy.startedAt + busy.seconds * 1000 - Date.now()) / 1000));
    throw new HttpError(
      409,
      `a ${busy.kind} profile is already running (started ${new Date(busy.startedAt).toISOString()}, ${busy.seconds} s); ` +
        'one profile at a time',
      { 'Retry-After': String(left) },
    );
  }
  state.running = { kind, startedAt: Date.now(), seconds };
  const gone = new AbortController();
  const socket = ctx.req.socket;
  const onClose = () => gone.abort();
  socket?.once('close', onClose);
  if (socket?.destroyed) gone.abort();
  let kept: Kept;
  try {
    if (kind === 'cpu') {
      const cpu = await recordCpu(seconds, gone.signal);
      if (!cpu) return GONE;
      kept = {
        id: state.nextId++,
        kind,
        startedAt: cpu.startedAt,
        durationMs: (cpu.profile.endTime - cpu.profile.startTime) / 1000,
        cpu,
        pprof: new Map(),
      };
    } else {
      const heap = await recordHeap(seconds, gone.signal);
      if (!heap) return GONE;
      kept = { id: state.nextId++, kind, startedAt: heap.startedAt, durationMs: heap.durationMs, heap, pprof: new Map() };
    }
    state.latest[kind] = kept;
  } finally {
    socket?.off('close', onClose);
    state.running = undefined;
  }
  return reply(kept, format, labelKeys);
}

/** Long enough for the longest profile and its encoding. */
const PROFILE_TIMEOUT_MS = (MAX_SECONDS + 30) * 1000;

const cpuRoute: RouteHandler = Object.assign((ctx: RouteContext) => run(ctx, 'cpu'), { timeoutMs: PROFILE_TIMEOUT_MS });
const heapRoute: RouteHandler = Object.assign((ctx: RouteContext) => run(ctx, 'heap'), { timeoutMs: PROFILE_TIMEOUT_MS });

/** `/debug/pprof/latest?id=N|kind=cpu|heap&format=…`: the latest profile again, without profiling anew. */
async function latestRoute(ctx: RouteContext): Promise<RouteReply> {
  authorize(ctx);
  const { latest } = profilingState();
  let kept: Kept | undefined;
  if (ctx.query.id !== undefined) {
    const id = Number(ctx.query.id);
    if (!Number.isInteger(id) || id < 1)
      throw new HttpError(400, 'id must be a profile id (a positive integer, from the X-Profile-Id header)');
    kept = [latest.cpu, latest.heap].find((k) => k?.id === id);
    if (!kept) throw new HttpError(404, `profile ${id} is not kept (only the latest CPU and the latest heap profile are)`);
  } else {
    const kind = ctx.query.kind;
    if (kind !== 'cpu' && kind !== 'heap') throw new HttpError(400, 'give id=<profile id> or kind=cpu|heap');
    kept = latest[kind];
    if (!kept) throw new HttpError(404, `no ${kind} profile has been taken yet`);
  }
  const format = formatOf(ctx, kept.kind, FORMATS[kept.kind]);
  return reply(kept, format, labelKeysOf(ctx));
}

function summary(k: Kept | undefined) {
  return k ? { id: k.id, startedAt: new Date(k.startedAt).toISOString(), durationMs: k.durationMs } : null;
}

/** `/debug/pprof/`: what can be fetched here, like Go's index, and what runs now. */
function indexRoute(ctx: RouteContext): RouteReply {
  authorize(ctx);
  const state = profilingState();
  const { latest } = state;
  const running = state.running;
  return {
    status: 200,
    body: {
      profiles: [
        {
          name: 'profile',
          path: '/debug/pprof/profile?seconds=10',
          description:
            `CPU profile of the main thread (seconds: default ${DEFAULT_SECONDS}, at most ${MAX_SECONDS}); ` +
            'gzip pprof, ?format=cpuprofile for Chrome DevTools. Samples carry span_name and trace_id labels (?labels=span_name, or none).',
        },
        {
          name: 'heap',
          path: '/debug/pprof/heap?seconds=10',
          description:
            'sampling heap profile: allocations made during the window and still alive at its end; ' +
            'gzip pprof, ?format=heapprofile for Chrome DevTools.',
        },
        {
          name: 'latest',
          path: '/debug/pprof/latest?kind=cpu&format=operations',
          description:
            'the latest CPU or heap profile again (id=<X-Profile-Id> or kind=cpu|heap; ' +
            'format pprof, cpuprofile, heapprofile, or operations: CPU time per span name).',
        },
      ],
      running: running ? { kind: running.kind, startedAt: new Date(running.startedAt).toISOString(), seconds: running.seconds } : null,
      inspectorSession: state.sessionOpen ? 'open' : 'closed',
      latest: { cpu: summary(latest.cpu), heap: summary(latest.heap) },
    },
  };
}

/** The `/debug/pprof` routes; none with MONITORING_PROFILING=false. */
export function profilingRoutes(): [string, string, RouteHandler][] {
  if (!profilingEnabled()) return [];
  return [
    ['/debug/pprof', 'GET', indexRoute],
    ['/debug/pprof/profile', 'GET', cpuRoute],
    ['/debug/pprof/heap', 'GET', heapRoute],
    ['/debug/pprof/latest', 'GET', latestRoute],
  ];
}
