import type { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { Aggregation } from '../aggregations/types.js';
import type { Instrument } from '../store.js';
import type { Series } from '../series.js';

// What the API records, apart from how it is kept and exported (src/metrics/aggregations/):
// the split OTel's sdk-metrics makes between an instrument and its Aggregator. One file per
// kind; the facade's methods ask their kind, never a literal.

export type InstrumentKindName = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

/** `H`: the handle bound to one series (`.add()`, `.set()`, `.record()`). */
export interface InstrumentKind<H = unknown> {
  readonly name: InstrumentKindName;
  /** How messages name it: "counter", "up-down counter". */
  readonly noun: string;
  /** The facade's declaration method, for messages. */
  readonly declare: string;
  /** OTel's instrument type: a reader's temporality and aggregation selectors, views. */
  readonly instrumentType: InstrumentType;
  /** How its series are kept and exported unless a view says otherwise. */
  readonly aggregation: Aggregation;
  /** Whether the API accepts `value` (the hot path: a type guard V8 inlines). */
  readonly accepts: (value: unknown) => value is number;
  /** Why it did not, for the one-time warning. */
  rejection(value: unknown): string;
  /** A handle on one series of `inst`: records with no lookup. */
  bind(inst: Instrument, s: Series): H;
  /** The handle given when the instrument cannot be had (invalid name, another kind). */
  readonly unbound: H;
}
