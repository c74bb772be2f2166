import type { Attributes } from '@opentelemetry/api';
import { brand, isBranded } from '../util/brand.js';
import { getState, singleton } from '../state.js';
import { collectMetrics, sharedStore } from './source.js';
import { describe, invalidArgument } from '../util/report.js';
import { isValidInstrumentName } from './names.js';
import { StoreMetricProducer } from './producer.js';
import { serializeMetrics } from './exposition.js';
import { summarize, type MetricsSummary } from './summary.js';
import { bucketIndex, SeriesStore, type Instrument, type InstrumentKind, type InstrumentOptions, type Series } from './store.js';
import { exemplarClock, recordExemplar } from './exemplars.js';

export type { MetricsSummary, HistogramSummary, SeriesSummary } from './summary.js';

export interface MetricOptions {
  /** UCUM unit, e.g. `s`, `ms`, `By`, `1`, `{request}`. Drives the Prometheus unit suffix. */
  unit?: string;
  description?: string;
  /** Cardinality limit for this metric (default 2000 attribute sets). */
  cardinalityLimit?: number;
}
export interface HistogramOptions extends MetricOptions {
  /** Bucket upper bounds, strictly ascending. */
  buckets?: number[];
}

export interface MetricsCollectorOptions {
  /** A private collector with its own series, not the process's shared one. */
  isolated?: boolean;
}

/** A counter series bound to one attribute set: `add()` does no lookup. */
export interface BoundCounter {
  add(value?: number): void;
}
export interface BoundGauge {
  set(value: number): void;
}
export interface BoundHistogram {
  record(value: number): void;
}

function validCounterValue(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && v !== Infinity;
}
function validFinite(v: unknown): v is number {
  return typeof v === 'number' && v - v === 0;
}

function badValue(kind: InstrumentKind, name: string, value: unknown): void {
  const why =
    kind === 'counter' && typeof value === 'number' && value < 0
      ? 'a counter only goes up; use a gauge for values that fall'
      : 'expected a finite number';
  invalidArgument(`${kind} "${name}" got value ${describe(value)}: ${why}; the call is ignored`);
}

function record(inst: Instrument, s: Series, value: number): void {
  const i = bucketIndex(inst.boundaries, value);
  s.buckets![i]!++;
  s.count++;
  s.sum += value;
  if (value < s.min) s.min = value;
  if (value > s.max) s.max = value;
  // Inlined due-check: a record pays one typed-array read unless this bucket's exemplar is due.
  if (exemplarClock.enabled && (s.exemplarNext === undefined || s.exemplarNext[i]! <= exemplarClock.now)) {
    recordExemplar(s, i, value);
  }
}

/**
 * Counters, gauges and histograms by name. `new MetricsCollector()` returns the process's
 * shared collector (a singleton, as in PySocketCommLib's Python monitoring module), whose values flow through every OTel metric reader
 * that register (or the facade's minimal SDK) set up: `/metrics`, Prometheus and OTLP.
 */
export class MetricsCollector {
  static [Symbol.hasInstance](x: unknown): boolean {
    return isBranded(this, MetricsCollector, 'MetricsCollector', x);
  }

  /** @internal */
  readonly store!: SeriesStore;
  private readonly isolated!: boolean;

  constructor(options: MetricsCollectorOptions = {}) {
    brand(this, 'MetricsCollector');
    if (options.isolated !== true) {
      const shared = singleton('MetricsCollector', () => this);
      if (shared !== this) return shared;
    }
    this.isolated = options.isolated === true;
    this.store = this.isolated ? new SeriesStore() : sharedStore();
  }

  /** Add `value` (default 1) to a counter; the first use of a name creates it. */
  incrementCounter(name: string, value: number = 1, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, 'counter');
    if (inst === undefined) return;
    if (inst.kind !== 'counter') return this.wrongKind(inst, 'counter');
    if (!validCounterValue(value)) return badValue('counter', name, value);
    inst.series(attributes).value += value;
  }

  /** Set a gauge to `value`. */
  recordGauge(name: string, value: number, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, 'gauge');
    if (inst === undefined) return;
    if (inst.kind !== 'gauge') return this.wrongKind(inst, 'gauge');
    if (!validFinite(value)) return badValue('gauge', name, value);
    const s = inst.series(attributes);
    s.value = value;
    s.recorded = true;
  }

  /** Record one observation in a histogram. */
  recordHistogram(name: string, value: number, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, 'histogram');
    if (inst === undefined) return;
    if (inst.kind !== 'histogram') return this.wrongKind(inst, 'histogram');
    if (!validFinite(value)) return badValue('histogram', name, value);
    record(inst, inst.series(attributes), value);
  }

  /** Declare a counter up front with its unit and description. */
  declareCounter(name: string, options: MetricOptions = {}): void {
    this.declare(name, 'counter', options);
  }
  declareGauge(name: string, options: MetricOptions = {}): void {
    this.declare(name, 'gauge', options);
  }
  declareHistogram(name: string, options: HistogramOptions = {}): void {
    this.declare(name, 'histogram', options);
  }

  /** A handle on one counter series, for the hottest paths. */
  counter(name: string, attributes?: Attributes): BoundCounter {
    const inst = this.store.get(name) ?? this.create(name, 'counter');
    if (inst === undefined || inst.kind !== 'counter') {
      if (inst) this.wrongKind(inst, 'counter');
      return { add() {} };
    }
    const s = inst.series(attributes);
    return {
      add(value = 1) {
        if (validCounterValue(value)) s.value += value;
        else badValue('counter', name, value);
      },
    };
  }
  gauge(name: string, attributes?: Attributes): BoundGauge {
    const inst = this.store.get(name) ?? this.create(name, 'gauge');
    if (inst === undefined || inst.kind !== 'gauge') {
      if (inst) this.wrongKind(inst, 'gauge');
      return { set() {} };
    }
    const s = inst.series(attributes);
    return {
      set(value) {
        if (!validFinite(value)) return badValue('gauge', name, value);
        s.value = value;
        s.recorded = true;
      },
    };
  }
  histogram(name: string, attributes?: Attributes): BoundHistogram {
    const inst = this.store.get(name) ?? this.create(name, 'histogram');
    if (inst === undefined || inst.kind !== 'histogram') {
      if (inst) this.wrongKind(inst, 'histogram');
      return { record() {} };
    }
    const s = inst.series(attributes);
    return {
      record(value) {
        if (validFinite(value)) record(inst, s, value);
        else badValue('histogram', name, value);
      },
    };
  }

  /**
   * Make sure CPU, memory, disk, event-loop, heap and GC metrics are being collected as OTel
   * metrics (register starts them; a plain script gets them on this call).
   */
  async collectSystemMetrics(): Promise<void> {
    await this.ensureSdk();
    await getState().sdk.instance?.startSystemMetrics();
  }

  /**
   * The PySocketCommLib-compatible JSON summary of this collector's own metrics (synchronous). The `/metrics`
   * route serves the same shape for every metric in the process, SDK instruments included.
   */
  getMetricsSummary(): MetricsSummary {
    return summarize(new StoreMetricProducer(this.store).collectSync().resourceMetrics);
  }

  /** Prometheus text exposition, identical to what `/metrics?format=prometheus` serves. */
  async exportPrometheus(): Promise<string> {
    if (!this.isolated) {
      await this.ensureSdk();
      return serializeMetrics(await collectMetrics());
    }
    return serializeMetrics(new StoreMetricProducer(this.store).collectSync().resourceMetrics);
  }

  private async ensureSdk(): Promise<void> {
    const sdk = getState().sdk;
    if (!sdk.mode && sdk.startMinimal) await sdk.startMinimal();
  }

  private declare(name: string, kind: InstrumentKind, options: HistogramOptions): void {
    if (options === null || typeof options !== 'object') {
      return invalidArgument(`declare${kind} "${String(name)}": options must be an object, got ${describe(options)}`);
    }
    const existing = this.store.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) this.wrongKind(existing, kind);
      return;
    }
    if (options.buckets !== undefined && !validBuckets(options.buckets)) {
      return invalidArgument(`histogram "${name}": buckets must be a non-empty array of finite numbers in ascending order`);
    }
    this.create(name, kind, {
      unit: typeof options.unit === 'string' ? options.unit : undefined,
      description: typeof options.description === 'string' ? options.description : undefined,
      buckets: options.buckets ? options.buckets.slice() : undefined,
      cardinalityLimit: options.cardinalityLimit,
    });
  }

  private create(name: string, kind: InstrumentKind, options?: InstrumentOptions): Instrument | undefined {
    if (!isValidInstrumentName(name)) {
      invalidArgument(
        `invalid metric name ${describe(name)}: a name starts with a letter and has up to 255 characters of [A-Za-z0-9_.-/]`,
      );
      return undefined;
    }
    return this.store.add(name, kind, { ...options, description: options?.description ?? `${name} (${kind})` });
  }

  private wrongKind(inst: Instrument, wanted: InstrumentKind): void {
    invalidArgument(`metric "${inst.name}" is a ${inst.kind}; it cannot also be used as a ${wanted}; the call is ignored`);
  }
}

/** The process's shared collector (what `new MetricsCollector()` returns), for the package's own code. */
export function defaultMetrics(): MetricsCollector {
  return getState().singletons.MetricsCollector ?? new MetricsCollector();
}

function validBuckets(b: unknown): b is number[] {
  if (!Array.isArray(b) || b.length === 0) return false;
  for (let i = 0; i < b.length; i++) {
    if (!validFinite(b[i])) return false;
    if (i > 0 && !(b[i] > b[i - 1])) return false;
  }
  return true;
}
