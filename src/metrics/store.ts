import type { Attributes } from '@opentelemetry/api';
import { warnOnce } from '../util/report.js';
import { attributeKey } from './attribute-key.js';
import { cleanAttributes, sameWalk } from './clean-attributes.js';
import { clockNow, defaultSeriesTtlMs, Reclaimer, sweepIntervalMs, Ticks } from './expiry.js';
import { insert, lookup, pruneSteps, remove, TrieNode } from './trie.js';
import type { Aggregation } from './aggregations/types.js';
import type { InstrumentKind } from './kinds/types.js';
import { GONE, Series } from './series.js';

export { GONE } from './series.js';

// The facade's hot path. Raw OTel instruments hash the attribute set on every call (sort the
// keys, build a string), which is most of their cost (measured on Node 20: ~720 ns per counter
// call with two attributes, against ~51 ns for a trie). Here each instrument keeps its series
// in a trie walked in the call's own key order (src/metrics/trie.ts), so a repeated attribute
// set costs a few comparisons and allocates nothing. The values reach the OTel pipeline at
// collection time through a MetricProducer (src/metrics/producer.ts).

export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

export interface InstrumentOptions {
  unit?: string;
  description?: string;
  /** Histogram bucket upper bounds, ascending. */
  buckets?: number[];
  /** Maximum number of attribute sets (series); more go to the overflow series. */
  cardinalityLimit?: number;
  /** A view's: how the series are kept, when not the kind's own way. */
  aggregation?: Aggregation;
  /** A view's: the name the stream is exported under, when not the instrument's. */
  streamName?: string;
  /** A view's: the attributes a series keeps, from a call's (cleaned) attributes. */
  attributeFilter?: (attrs: Attributes) => Attributes;
  /** A series not recorded for this many ms is dropped (0: never; default MONITORING_SERIES_TTL_MS). */
  ttlMs?: number;
}

export const DEFAULT_CARDINALITY_LIMIT = 2000;

/** One named instrument: its kind (what the API records), its aggregation (how its series are kept), its series. */
export class Instrument {
  readonly aggregation: Aggregation;
  /**
   * The kind's validation and the aggregation's record, resolved once when the instrument is
   * made: the facade's methods call these two fields (one dispatch less per call than going
   * through `kind` and `aggregation`: ~4-10 machine instructions of ~140 for a counter add).
   */
  readonly accepts: (value: unknown) => value is number;
  readonly record: (inst: Instrument, s: Series, value: number) => void;
  readonly unit: string;
  /** The name it is exported under: the instrument's, or the one a view gives it. */
  readonly streamName: string;
  readonly description: string;
  readonly boundaries: number[];
  readonly cardinalityLimit: number;
  /** Series idle this long are dropped by sweep(); 0: never. */
  readonly ttlMs: number;
  /** What a recorded series notes in `seen` (moves only when series can expire). */
  tick = 0;
  /** Canonical key (sorted attributes) → series. Every series lives here exactly once. */
  readonly byKey = new Map<string, Series>();
  private root = new TrieNode<Series>();
  private readonly ticks: Ticks | undefined;
  /** Series below this tick have expired. */
  private cutoff = 0;
  /** Expired series still in `byKey` (not counted against the cardinality limit). */
  private gone = 0;
  private readonly reclaimer = new Reclaimer(() => this.reclaimSteps());
  /** Expired series whose memory is not reclaimed yet. */
  private expired: Series[] = [];
  /** Some series was reached by a trie path other than its own attributes (key order, dropped values, a view's filter). */
  private aliased = false;
  private readonly filter: ((attrs: Attributes) => Attributes) | undefined;
  /** With a filter, many call attribute sets share a series: the trie's leaves are counted and bounded. */
  private leaves = 0;
  private empty: Series | undefined;
  private lastAttrs: Attributes | undefined;
  private lastSeries: Series | undefined;
  private overflow: Series | undefined;

  constructor(
    readonly name: string,
    readonly kind: InstrumentKind,
    options: InstrumentOptions = {},
  ) {
    this.aggregation = options.aggregation ?? kind.aggregation;
    this.accepts = kind.accepts;
    this.record = this.aggregation.record;
    this.unit = options.unit ?? '';
    this.streamName = options.streamName ?? name;
    this.description = options.description ?? '';
    this.boundaries = this.aggregation.boundaries(options.buckets, this.unit);
    this.cardinalityLimit = options.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
    this.filter = options.attributeFilter;
    this.ttlMs = options.ttlMs ?? defaultSeriesTtlMs();
    this.ticks = this.ttlMs > 0 ? new Ticks(clockNow()) : undefined;
  }

  /** The series without attributes. */
  none(): Series {
    return this.empty ?? (this.empty = this.canonical(EMPTY_ATTRIBUTES, ''));
  }

  /** The series for an attribute set, noted as recorded; the common case allocates nothing. */
  series(attrs: Attributes | undefined): Series {
    const s = this.find(attrs);
    s.seen = this.tick;
    return s;
  }

  private find(attrs: Attributes | undefined): Series {
    if (attrs === undefined) return this.empty ?? (this.empty = this.canonical(EMPTY_ATTRIBUTES, ''));
    if (attrs === this.lastAttrs) return this.lastSeries!;
    const s = lookup(this.root, attrs);
    // Expired, its trie path not yet reclaimed: a new series takes its place. (The caches
    // above never hold an expired series: a sweep clears them.)
    if (s === undefined || s.seen === GONE) return this.miss(attrs);
    this.lastAttrs = attrs;
    this.lastSeries = s;
    return s;
  }

  /**
   * A bound handle's series, noted as recorded. One that expired is revived: the series
   * recorded since under its attributes, or a new one from zero with a new start time.
   */
  touch(s: Series): Series {
    if (s.seen === GONE) {
      const live = this.canonical(s.attributes, s.key);
      if (s.key === '') this.empty = live;
      s = live;
    }
    s.seen = this.tick;
    return s;
  }

  /**
   * Marks the series not recorded for `ttlMs` as GONE (readers skip them from now on) and
   * clears the caches that could hand them out; their memory (the series map, the trie) is
   * reclaimed later in slices (reclaim()). Per-reader state is keyed weakly by series.
   * Returns how many expired.
   */
  sweep(nowMs: number): number {
    if (this.ticks === undefined) return 0;
    const cutoff = this.ticks.advance(nowMs, this.ttlMs);
    this.tick = this.ticks.tick;
    // Recorded series note the current tick: none can fall below an unchanged cutoff.
    if (cutoff <= this.cutoff) return 0;
    this.cutoff = cutoff;
    let expired = 0;
    for (const s of this.byKey.values()) {
      if (s.seen < cutoff && s.seen !== GONE) {
        s.seen = GONE;
        this.expired.push(s);
        expired++;
      }
    }
    if (expired === 0) return 0;
    this.gone += expired;
    if (this.empty?.seen === GONE) this.empty = undefined;
    if (this.overflow?.seen === GONE) this.overflow = undefined;
    if (this.lastSeries?.seen === GONE) this.lastAttrs = this.lastSeries = undefined;
    this.reclaimer.start();
    return expired;
  }

  /**
   * Frees up to `budget` entries or trie nodes of expired series; true when nothing is left.
   * A sweep schedules it in slices (src/metrics/expiry.ts); tests run it to the end.
   */
  reclaim(budget = Infinity): boolean {
    return this.reclaimer.run(budget);
  }

  // Each expired series leaves the map and its trie path (walked by its own attributes: exact
  // unless a call reached it by another path); when some did, a pass over the whole trie
  // follows. Steps are small so that the reclaimer can slice them.
  private *reclaimSteps(): Generator<void, void> {
    const queue = this.expired;
    this.expired = [];
    const aliased = this.aliased;
    for (const s of queue) {
      if (this.byKey.get(s.key) === s) {
        this.byKey.delete(s.key);
        this.gone--;
      }
      if (!aliased) remove(this.root, s.attributes, s);
      yield;
    }
    if (aliased) yield* pruneSteps(this.root, isGone);
  }

  /** Every live series, in creation order (expired ones not yet reclaimed are skipped). */
  all(): IterableIterator<Series> {
    return this.gone === 0 ? this.byKey.values() : live(this.byKey.values());
  }

  /** How many live series there are. */
  size(): number {
    return this.byKey.size - this.gone;
  }

  private miss(attrs: Attributes): Series {
    const clean = this.filter === undefined ? cleanAttributes(attrs) : Object.freeze(this.filter(cleanAttributes(attrs)));
    const s = this.canonical(clean, attributeKey(clean));
    // The overflow series is not stored under the set: memory stays bounded under a cardinality explosion.
    if (s !== this.overflow) {
      if (!this.aliased && !sameWalk(attrs, clean)) this.aliased = true;
      this.insert(attrs, s);
    }
    return s;
  }

  /** The series of a cleaned attribute set (created if new; the overflow series beyond the limit). */
  private canonical(clean: Attributes, key: string): Series {
    const s = this.byKey.get(key);
    if (s !== undefined && s.seen !== GONE) return s;
    if (key === OVERFLOW_KEY || this.byKey.size - this.gone >= this.cardinalityLimit) {
      if (key !== OVERFLOW_KEY) {
        warnOnce(
          `metric "${this.name}" reached its cardinality limit of ${this.cardinalityLimit} attribute sets; ` +
            'further sets are aggregated into the series with otel.metric.overflow=true',
        );
      }
      return this.overflow ?? (this.overflow = this.create(OVERFLOW_ATTRIBUTES, OVERFLOW_KEY));
    }
    return this.create(clean, key);
  }

  private insert(attrs: Attributes, s: Series): void {
    // A view's filter maps unboundedly many call attribute sets (a dropped request id) onto
    // few series; the trie is a cache of that mapping, emptied when it outgrows its bound.
    if (this.filter !== undefined && ++this.leaves > TRIE_LEAVES_PER_SERIES * this.cardinalityLimit) {
      this.root = new TrieNode<Series>();
      this.leaves = 1;
      this.lastAttrs = undefined;
      this.lastSeries = undefined;
    }
    insert(this.root, attrs, s);
  }

  private create(attrs: Attributes, key: string): Series {
    const s = this.aggregation.create(this, attrs, key, clockNow());
    s.seen = this.tick;
    // Taking the place of an expired series not yet reclaimed.
    if (this.byKey.get(key)?.seen === GONE) this.gone--;
    this.byKey.set(key, s);
    return s;
  }
}

const isGone = (s: Series): boolean => s.seen === GONE;

// Only while expired series wait to be reclaimed: otherwise all() hands out the map's own iterator.
function* live(series: IterableIterator<Series>): IterableIterator<Series> {
  for (const s of series) if (s.seen !== GONE) yield s;
}

const EMPTY_ATTRIBUTES: Attributes = Object.freeze({});
const TRIE_LEAVES_PER_SERIES = 4;
const OVERFLOW_KEY = '\u0000overflow';

/** All of one collector's instruments, by name. */
export class SeriesStore {
  readonly instruments = new Map<string, Instrument>();
  /** By exported name, where a view renamed the stream (exemplar lookups go by exported name). */
  private readonly renamed = new Map<string, Instrument>();
  /** Bumped when an instrument is added, so producers can cache descriptors. */
  version = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private sweepEveryMs = Infinity;

  get(name: string): Instrument | undefined {
    return this.instruments.get(name);
  }

  /** The instrument exported under `name` (its own or a view's). */
  exported(name: string): Instrument | undefined {
    const inst = this.renamed.get(name) ?? this.instruments.get(name);
    return inst?.streamName === name ? inst : undefined;
  }

  add(name: string, kind: InstrumentKind, options?: InstrumentOptions): Instrument {
    const inst = new Instrument(name, kind, options);
    this.instruments.set(name, inst);
    if (inst.streamName !== name) {
      const other = this.exported(inst.streamName);
      if (other !== undefined) {
        warnOnce(
          `a view names metric "${name}" "${inst.streamName}", as "${other.name}" already is; their series are exported under one name`,
        );
      }
      this.renamed.set(inst.streamName, inst);
    }
    this.version++;
    if (inst.ttlMs > 0) this.sweepEvery(sweepIntervalMs(inst.ttlMs));
    return inst;
  }

  /** Drops idle series of every instrument that has a TTL; returns how many. */
  sweep(nowMs: number = clockNow()): number {
    let dropped = 0;
    for (const inst of this.instruments.values()) dropped += inst.sweep(nowMs);
    return dropped;
  }

  // Collections sweep too (src/metrics/producer.ts); the timer frees the memory of a process
  // that nothing collects from. Unref'd: it never keeps the process alive.
  private sweepEvery(ms: number): void {
    if (ms >= this.sweepEveryMs) return;
    this.sweepEveryMs = ms;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = setInterval(() => this.sweep(), ms);
    this.sweeper.unref();
  }
}
