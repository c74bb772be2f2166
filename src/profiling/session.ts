import type * as Inspector from 'node:inspector';
import { builtin } from '../util/builtin.js';
import { getState } from '../state.js';
import type { Kept } from './routes.js';

/** Process-wide profiling state (one profile at a time, whichever copy of the package serves the route). */
export interface ProfilingState {
  /** The profile running now, if any. */
  running?: { kind: 'cpu' | 'heap'; startedAt: number; seconds: number };
  /** An inspector session is connected (only while a profile runs). */
  sessionOpen: boolean;
  /** While a CPU profile runs: the span processor hands every span it sees here (src/recent/spans.ts). */
  spanTap?: (span: object, ended: boolean) => void;
  /** The id the next finished profile gets. */
  nextId: number;
  /** The latest finished profile of each kind, kept so the page can fetch it again in every format. */
  latest: { cpu?: Kept; heap?: Kept };
}

export function profilingState(): ProfilingState {
  return getState().profiling;
}

export type Post = <T = unknown>(method: string, params?: object) => Promise<T>;

/**
 * Run `fn` with an inspector session connected to this thread, and disconnect it afterwards
 * whatever happens: when no profile runs, no session is open and V8's profilers are off.
 * `node:inspector` is loaded here, on the first profile, not at start-up.
 */
export async function withSession<T>(fn: (post: Post) => Promise<T>): Promise<T> {
  const inspector = builtin<typeof Inspector>('node:inspector');
  const session = new inspector.Session();
  const state = profilingState();
  session.connect();
  state.sessionOpen = true;
  const post: Post = (method, params) =>
    new Promise((resolve, reject) => {
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as never)));
    });
  try {
    return await fn(post);
  } finally {
    session.disconnect();
    state.sessionOpen = false;
  }
}
