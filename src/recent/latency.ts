/**
 * zPages-style latency statistics per span name (the buckets of OpenCensus/OTel tracez):
 * counts per latency bucket plus errors, and a few example traces per bucket.
 */

/** Upper bounds in ms of the first 8 buckets; the 9th is everything above 100 s. */
const UPPER_MS = [0.01, 0.1, 1, 10, 100, 1000, 10000, 100000];
export const LATENCY_BUCKETS = [
  '0–10µs',
  '10µs–100µs',
  '100µs–1ms',
  '1–10ms',
  '10–100ms',
  '100ms–1s',
  '1–10s',
  '10–100s',
  '>100s',
] as const;
const N_BUCKETS = LATENCY_BUCKETS.length;
/** Example traces kept per bucket and for errors. */
const SAMPLES = 4;
/** At most one new sample per bucket per this many ms: a hot name cannot churn its samples. */
const SAMPLE_GAP_MS = 250;
/** Distinct span names tracked; more (a URL in a span name) are counted under OTHER. */
const MAX_NAMES = 200;
export const OTHER_NAME = '(other span names)';
const ERRORS = N_BUCKETS; // index of the error sample slot

export function bucketOf(ms: number): number {
  for (let i = 0; i < UPPER_MS.length; i++) if (ms < UPPER_MS[i]!) return i;
  return UPPER_MS.length;
}

interface NameStats {
  counts: number[];
  errors: number;
  /** Per bucket (and one more slot for errors): a ring of example trace ids. */
  samples: (string | undefined)[][];
  next: number[];
  lastMs: number[];
}

export interface LatencyRow {
  name: string;
  counts: number[];
  errors: number;
  /** Per bucket, example trace ids still kept (newest first). */
  samples: string[][];
  errorSamples: string[];
}

export class LatencyStats {
  private readonly byName = new Map<string, NameStats>();

  /** `pin(traceId, +1 | -1)`: the span store keeps sampled traces longer. */
  constructor(private readonly pin: (traceId: string, delta: number) => void) {}

  // The sample slot the last record() call found due (read by takeSample right after).
  private dueStats: NameStats | undefined;
  private lastName: string | undefined;
  private lastStats: NameStats | undefined;
  private dueSlot = 0;

  /**
   * Count one span; returns true when it should become an example for its bucket (or for
   * errors): at most one new example per slot per SAMPLE_GAP_MS. Then call takeSample().
   */
  record(name: string, bucket: number, error: boolean, startMs: number): boolean {
    // Most spans repeat the previous name (same string object): skip the Map then.
    let st = name === this.lastName ? this.lastStats : this.byName.get(name);
    if (st === undefined) {
      st = this.byName.size < MAX_NAMES ? newStats() : this.otherStats();
      if (this.byName.size < MAX_NAMES) this.byName.set(name, st);
    }
    this.lastName = name;
    this.lastStats = st;
    st.counts[bucket]!++;
    let slot = bucket;
    if (error) {
      st.errors++;
      slot = ERRORS;
    }
    if (startMs - st.lastMs[slot]! < SAMPLE_GAP_MS) return false;
    st.lastMs[slot] = startMs;
    this.dueStats = st;
    this.dueSlot = slot;
    return true;
  }

  private otherStats(): NameStats {
    let o = this.byName.get(OTHER_NAME);
    if (o === undefined) this.byName.set(OTHER_NAME, (o = newStats()));
    return o;
  }

  /** Make `traceId` the newest example of the slot the last record() found due. */
  takeSample(traceId: string): void {
    const st = this.dueStats;
    if (st === undefined) return;
    this.dueStats = undefined;
    const slot = this.dueSlot;
    const ring = st.samples[slot]!;
    const i = st.next[slot]!;
    const old = ring[i];
    if (old === traceId) return;
    if (old !== undefined) this.pin(old, -1);
    ring[i] = traceId;
    st.next[slot] = (i + 1) % SAMPLES;
    this.pin(traceId, 1);
  }

  rows(kept: (traceId: string) => boolean): LatencyRow[] {
    const out: LatencyRow[] = [];
    for (const [name, st] of this.byName) {
      const list = (slot: number) => {
        const ring = st.samples[slot]!;
        const ids: string[] = [];
        for (let k = 1; k <= SAMPLES; k++) {
          const id = ring[(st.next[slot]! - k + SAMPLES) % SAMPLES];
          if (id !== undefined && kept(id) && !ids.includes(id)) ids.push(id);
        }
        return ids;
      };
      out.push({
        name,
        counts: st.counts.slice(),
        errors: st.errors,
        samples: st.counts.map((_c, b) => list(b)),
        errorSamples: list(ERRORS),
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  clear(): void {
    this.byName.clear();
    this.lastName = undefined;
    this.lastStats = undefined;
  }
}

function newStats(): NameStats {
  return {
    counts: new Array<number>(N_BUCKETS).fill(0),
    errors: 0,
    samples: Array.from({ length: N_BUCKETS + 1 }, () => new Array<string | undefined>(SAMPLES)),
    next: new Array<number>(N_BUCKETS + 1).fill(0),
    lastMs: new Array<number>(N_BUCKETS + 1).fill(-Infinity),
  };
}
