import { ValueType, type HrTime } from '@opentelemetry/api';
import type {
  AggregationTemporalitySelector,
  CollectionResult,
  DataPoint,
  MetricData,
  MetricProducer,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Instrument, SeriesStore } from './store.js';
import type { Series } from './series.js';
import type { PointValue } from './aggregations/types.js';
import { AggregationTemporality } from './sdk-enums.js';
import { clockNow } from './expiry.js';
import { TimeSlicer } from '../util/time-slice.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info.js';

export const SCOPE = { name: PACKAGE_NAME, version: PACKAGE_VERSION };

const CUMULATIVE_ONLY: AggregationTemporalitySelector = () => AggregationTemporality.CUMULATIVE;

/** A series' cumulative value at this reader's previous collection. */
interface Previous {
  value: PointValue;
  timeMs: number;
}

/**
 * Hands the facade's plain-JS series to one OTel MetricReader at collection time. One
 * producer per reader: a reader that asks for delta temporality gets differences since its
 * own previous collection, so a Prometheus pull and an OTLP delta push never disturb each other.
 */
export class StoreMetricProducer implements MetricProducer {
  private readonly previous = new WeakMap<Series, Previous>();

  constructor(
    private readonly store: SeriesStore,
    private readonly temporality: AggregationTemporalitySelector = CUMULATIVE_ONLY,
  ) {}

  /**
   * Collected in time slices (src/util/time-slice.ts): an OTLP export of 100,000 facade
   * histogram series collected in one piece held the app's event loop 150-330 ms (2-core box).
   */
  async collect(): Promise<CollectionResult> {
    return new TimeSlicer().run(this.steps());
  }

  collectSync(): CollectionResult {
    const steps = this.steps();
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** The collection, yielding every few hundred series where it may pause. */
  private *steps(): Generator<void, CollectionResult> {
    const nowMs = clockNow();
    const now = millisToHrTime(nowMs);
    const metrics: MetricData[] = [];
    for (const inst of this.store.instruments.values()) {
      // Series idle past their TTL leave before they are read (and this reader's state for
      // them, keyed weakly by series, with them).
      inst.sweep(nowMs);
      const m = yield* this.metric(inst, now, nowMs);
      if (m !== undefined) metrics.push(m);
    }
    return {
      resourceMetrics: { resource: EMPTY_RESOURCE, scopeMetrics: [{ scope: SCOPE, metrics }] },
      errors: [],
    };
  }

  /** The instrument's data points, as its aggregation makes them; undefined for a last-value metric with none. */
  private *metric(inst: Instrument, now: HrTime, nowMs: number): Generator<void, MetricData | undefined> {
    const agg = inst.aggregation;
    const temporality = this.temporality(inst.kind.instrumentType);
    const delta = temporality === AggregationTemporality.DELTA && !agg.instant;
    const dataPoints: DataPoint<PointValue>[] = [];
    let n = 0;
    for (const s of inst.all()) {
      if ((++n & 511) === 0) yield;
      const current = agg.value(inst, s);
      if (current === undefined) continue;
      let value = current;
      let start = agg.instant ? nowMs : s.startTimeMs;
      if (delta) {
        const prev = this.previous.get(s);
        if (prev) {
          value = agg.diff(prev.value, current);
          start = prev.timeMs;
          prev.value = current;
          prev.timeMs = nowMs;
        } else {
          this.previous.set(s, { value: current, timeMs: nowMs });
        }
      }
      dataPoints.push({ startTime: agg.instant ? now : millisToHrTime(start), endTime: now, attributes: s.attributes, value });
    }
    if (dataPoints.length === 0 && agg.instant) return undefined;
    const descriptor = { name: inst.streamName, description: inst.description, unit: inst.unit, valueType: ValueType.DOUBLE };
    const { dataPointType, isMonotonic } = agg;
    return (
      isMonotonic === undefined
        ? { descriptor, aggregationTemporality: temporality, dataPointType, dataPoints }
        : { descriptor, aggregationTemporality: temporality, dataPointType, isMonotonic, dataPoints }
    ) as MetricData;
  }
}

// A MetricReader keeps the SDK's own Resource and ignores a producer's; this one only
// serves isolated collectors serialized without an SDK.
const EMPTY_RESOURCE = { attributes: {} } as unknown as ResourceMetrics['resource'];

export function millisToHrTime(ms: number): HrTime {
  const sec = Math.floor(ms / 1000);
  return [sec, Math.round((ms - sec * 1000) * 1e6)];
}
