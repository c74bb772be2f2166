import type { Attributes } from '@opentelemetry/api';
import { brand, isBranded } from '../util/brand.js';
import { getState, singleton } from '../state.js';
import { collectForScrape, sharedStore } from './source.js';
import { describe, invalidArgument } from '../util/report.js';
import { isValidInstrumentName } from './names.js';
import { StoreMetricProducer } from './producer.js';
import { ExpositionWriter, serializeMetrics } from './exposition.js';
import { getConfig } from '../config/index.js';
import { writeAll } from './scrape.js';
import { summarize, type MetricsSummary } from './summary.js';
import { applyView } from './view-facade.js';
import { SeriesStore, type Instrument, type InstrumentOptions } from './store.js';
import type { InstrumentKind } from './kinds/types.js';
import { COUNTER, GAUGE, HISTOGRAM, UP_DOWN_COUNTER } from './kinds/registry.js';
import { isFiniteNumber, rejectValue, withArticle } from './kinds/validate.js';
import { isValidTtl } from './expiry.js';
import type { BoundCounter } from './kinds/counter.js';
import type { BoundUpDownCounter } from './kinds/up-down-counter.js';
import type { BoundGauge } from './kinds/gauge.js';
import type { BoundHistogram } from './kinds/histogram.js';

export type { MetricsSummary, HistogramSummary, SeriesSummary } from './summary.js';
export type { BoundCounter, BoundUpDownCounter, BoundGauge, BoundHistogram };

export interface MetricOptions {
  /** UCUM unit, e.g. `s`, `ms`, `By`, `1`, `{request}`. Drives the Prometheus unit suffix. */
  unit?: string;
  description?: string;
  /** Cardinality limit for this metric (default 2000 attribute sets). */
  cardinalityLimit?: number;
  /**
   * Drop a series (attribute set) not recorded for this many milliseconds; a counter or
   * histogram recorded again starts from zero with a new start time. 0: never. Default:
   * `MONITORING_SERIES_TTL_MS`, else never.
   */
  ttlMs?: number;
}
export interface HistogramOptions extends MetricOptions {
  /** Bucket upper bounds, strictly ascending. */
  buckets?: number[];
}

export interface MetricsCollectorOptions {
  /** A private collector with its own series, not the process's shared one. */
  isolated?: boolean;
}

/**
 * Counters, up-down counters, gauges and histograms by name. `new MetricsCollector()` returns
 * the process's shared collector (a singleton, as in PySocketCommLib's Python monitoring
 * module), whose values flow through every OTel metric reader
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

  // One method per kind, each with its own call sites: V8 sees one aggregation per site and
  // inlines its record (a shared generic method would be polymorphic on the hot path). Kinds
  // compare by identity: a store is only ever written by the one copy of this package (ESM or
  // CommonJS) whose collector is the process's shared instance.

  /** Add `value` (default 1) to a counter; the first use of a name creates it. */
  incrementCounter(name: string, value: number = 1, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, COUNTER);
    if (inst === undefined) return;
    if (inst.kind !== COUNTER) return this.wrongKind(inst, COUNTER);
    if (!inst.accepts(value)) return rejectValue(COUNTER, name, value);
    inst.record(inst, inst.series(attributes), value);
  }

  /** Add `delta` (negative to subtract) to an up-down counter. */
  addUpDownCounter(name: string, delta: number, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, UP_DOWN_COUNTER);
    if (inst === undefined) return;
    if (inst.kind !== UP_DOWN_COUNTER) return this.wrongKind(inst, UP_DOWN_COUNTER);
    if (!inst.accepts(delta)) return rejectValue(UP_DOWN_COUNTER, name, delta);
    inst.record(inst, inst.series(attributes), delta);
  }

  /** Set a gauge to `value`. */
  recordGauge(name: string, value: number, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, GAUGE);
    if (inst === undefined) return;
    if (inst.kind !== GAUGE) return this.wrongKind(inst, GAUGE);
    if (!inst.accepts(value)) return rejectValue(GAUGE, name, value);
    inst.record(inst, inst.series(attributes), value);
  }

  /** Record one observation in a histogram. */
  recordHistogram(name: string, value: number, attributes?: Attributes): void {
    const inst = this.store.get(name) ?? this.create(name, HISTOGRAM);
    if (inst === undefined) return;
    if (inst.kind !== HISTOGRAM) return this.wrongKind(inst, HISTOGRAM);
    if (!inst.accepts(value)) return rejectValue(HISTOGRAM, name, value);
    inst.record(inst, inst.series(attributes), value);
  }

  /** Declare a counter up front with its unit and description. */
  declareCounter(name: string, options: MetricOptions = {}): void {
    this.declare(name, COUNTER, options);
  }
  declareUpDownCounter(name: string, options: MetricOptions = {}): void {
    this.declare(name, UP_DOWN_COUNTER, options);
  }
  declareGauge(name: string, options: MetricOptions = {}): void {
    this.declare(name, GAUGE, options);
  }
  declareHistogram(name: string, options: HistogramOptions = {}): void {
    this.declare(name, HISTOGRAM, options);
  }

  /** A handle on one counter series, for the hottest paths. */
  counter(name: string, attributes?: Attributes): BoundCounter {
    return this.bind(COUNTER, name, attributes);
  }
  upDownCounter(name: string, attributes?: Attributes): BoundUpDownCounter {
    return this.bind(UP_DOWN_COUNTER, name, attributes);
  }
  gauge(name: string, attributes?: Attributes): BoundGauge {
    return this.bind(GAUGE, name, attributes);
  }
  histogram(name: string, attributes?: Attributes): BoundHistogram {
    return this.bind(HISTOGRAM, name, attributes);
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
      // Written in slices, as /metrics is: the app's event loop keeps turning meanwhile.
      return writeAll(new ExpositionWriter(await collectForScrape(), { naming: getConfig().metrics.prometheus?.naming }));
    }
    return serializeMetrics(new StoreMetricProducer(this.store).collectSync().resourceMetrics);
  }

  private async ensureSdk(): Promise<void> {
    const sdk = getState().sdk;
    if (!sdk.mode && sdk.startMinimal) await sdk.startMinimal();
  }

  private bind<H>(kind: InstrumentKind<H>, name: string, attributes: Attributes | undefined): H {
    const inst = this.store.get(name) ?? this.create(name, kind);
    if (inst === undefined) return kind.unbound;
    if (inst.kind !== kind) {
      this.wrongKind(inst, kind);
      return kind.unbound;
    }
    return kind.bind(inst, inst.series(attributes));
  }

  private declare(name: string, kind: InstrumentKind, options: HistogramOptions): void {
    if (options === null || typeof options !== 'object') {
      return invalidArgument(`${kind.declare} "${String(name)}": options must be an object, got ${describe(options)}`);
    }
    const existing = this.store.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) this.wrongKind(existing, kind);
      return;
    }
    if (options.buckets !== undefined && !validBuckets(options.buckets)) {
      return invalidArgument(`histogram "${name}": buckets must be a non-empty array of finite numbers in ascending order`);
    }
    let ttlMs = options.ttlMs;
    if (ttlMs !== undefined && !isValidTtl(ttlMs)) {
      // The metric is still declared (unit, description, buckets kept), with the default TTL.
      invalidArgument(
        `${kind.declare} "${name}": ttlMs must be a finite number of milliseconds >= 0 (0: never expire), got ${describe(ttlMs)}; the default applies`,
      );
      ttlMs = undefined;
    }
    this.create(name, kind, {
      unit: typeof options.unit === 'string' ? options.unit : undefined,
      description: typeof options.description === 'string' ? options.description : undefined,
      buckets: options.buckets ? options.buckets.slice() : undefined,
      cardinalityLimit: options.cardinalityLimit,
      ttlMs,
    });
  }

  private create(name: string, kind: InstrumentKind, options?: InstrumentOptions): Instrument | undefined {
    if (!isValidInstrumentName(name)) {
      invalidArgument(`invalid metric name ${describe(name)}: a name starts with a letter and has up to 255 characters of [A-Za-z0-9_.-/]`);
      return undefined;
    }
    return this.store.add(name, kind, applyView(name, kind, { ...options, description: options?.description ?? `${name} (${kind.name})` }));
  }

  private wrongKind(inst: Instrument, wanted: InstrumentKind): void {
    invalidArgument(
      `metric "${inst.name}" is ${withArticle(inst.kind)}; it cannot also be used as ${withArticle(wanted)}; the call is ignored`,
    );
  }
}

/** The process's shared collector (what `new MetricsCollector()` returns), for the package's own code. */
export function defaultMetrics(): MetricsCollector {
  return getState().singletons.MetricsCollector ?? new MetricsCollector();
}

function validBuckets(b: unknown): b is number[] {
  if (!Array.isArray(b) || b.length === 0) return false;
  for (let i = 0; i < b.length; i++) {
    if (!isFiniteNumber(b[i])) return false;
    if (i > 0 && !(b[i] > b[i - 1])) return false;
  }
  return true;
}
