import { getState } from '../state.js';

/** One instrumentation's state in this process, as /status and the status page show it. */
export interface InstrumentationStatus {
  name: string;
  enabled: boolean;
  /** Constructed: its library was loaded (or it runs from the start). */
  active: boolean;
  /** The patched libraries and their versions (a built-in's is Node's). */
  libraries: { name: string; version?: string }[];
  /** Libraries the app loaded before register ran: not patched. */
  loadedTooEarly?: string[];
  /** Why it is not running although enabled (construction failed). */
  error?: string;
  note?: string;
}

/** Every instrumentation register knows, with its state; empty without register. */
export function instrumentationStatus(): InstrumentationStatus[] {
  return getState().sdk.instrumentations?.() ?? [];
}
