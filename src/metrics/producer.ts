import { ValueType, type HrTime } from '@opentelemetry/api';
import type {
  AggregationTemporalitySelector,
  CollectionResult,
  DataPoint,
  Histogram,
  MetricData,
  MetricProducer,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Instrument, Series, SeriesStore } from './store.js';
import { AggregationTemporality, DataPointType, InstrumentType } from './sdk-enums.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info.js';

export const SCOPE = { name: PACKAGE_NAME, version: PACKAGE_VERSION };

const CUMULATIVE_ONLY: AggregationTemporalitySelector = () => AggregationTemporality.CUMULATIVE;

interface Previous {
  value: number;
  count: number;
  sum: number;
  buckets: Float64Array | undefined;
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

  async collect(): Promise<CollectionResult> {
    return this.collectSync();
  }

  collectSync(): CollectionResult {
    const nowMs = Date.now();
    const now = millisToHrTime(nowMs);
    const metrics: MetricData[] = [];
    for (const inst of this.store.instruments.values()) {
      const m = this.metric(inst, now, nowMs);
      if (m !== undefined) metrics.push(m);
    }
    return {
      resourceMetrics: { resource: EMPTY_RESOURCE, scopeMetrics: [{ scope: SCOPE, metrics }] },
      errors: [],
    };
  }

  private metric(inst: Instrument, now: HrTime, nowMs: number): MetricData | undefined {
    const descriptor = {
      name: inst.name,
      description: inst.description,
      unit: inst.unit,
      valueType: ValueType.DOUBLE,
    };
    if (inst.kind === 'gauge') {
      const dataPoints: DataPoint<number>[] = [];
      for (const s of inst.all()) {
        if (!s.recorded) continue;
        dataPoints.push({ startTime: now, endTime: now, attributes: s.attributes, value: s.value });
      }
      if (dataPoints.length === 0) return undefined;
      return {
        descriptor,
        aggregationTemporality: this.temporality(InstrumentType.GAUGE),
        dataPointType: DataPointType.GAUGE,
        dataPoints,
      };
    }
    const instrumentType = inst.kind === 'counter' ? InstrumentType.COUNTER : InstrumentType.HISTOGRAM;
    const temporality = this.temporality(instrumentType);
    const delta = temporality === AggregationTemporality.DELTA;
    if (inst.kind === 'counter') {
      const dataPoints: DataPoint<number>[] = [];
      for (const s of inst.all()) {
        let value = s.value;
        let start = s.startTimeMs;
        if (delta) {
          const prev = this.previous.get(s);
          if (prev) {
            value -= prev.value;
            start = prev.timeMs;
            prev.value = s.value;
            prev.timeMs = nowMs;
          } else {
            this.previous.set(s, { value: s.value, count: 0, sum: 0, buckets: undefined, timeMs: nowMs });
          }
        }
        dataPoints.push({ startTime: millisToHrTime(start), endTime: now, attributes: s.attributes, value });
      }
      return {
        descriptor,
        aggregationTemporality: temporality,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints,
      };
    }
    const dataPoints: DataPoint<Histogram>[] = [];
    for (const s of inst.all()) {
      let counts = Array.from(s.buckets!);
      let count = s.count;
      let sum = s.sum;
      let start = s.startTimeMs;
      if (delta) {
        const prev = this.previous.get(s);
        if (prev) {
          counts = counts.map((c, i) => c - prev.buckets![i]!);
          count -= prev.count;
          sum -= prev.sum;
          start = prev.timeMs;
        }
        this.previous.set(s, { value: 0, count: s.count, sum: s.sum, buckets: s.buckets!.slice(), timeMs: nowMs });
      }
      const value: Histogram = {
        buckets: { boundaries: inst.boundaries, counts },
        count,
        sum,
        ...(s.count > 0 ? { min: s.min, max: s.max } : {}),
      };
      dataPoints.push({ startTime: millisToHrTime(start), endTime: now, attributes: s.attributes, value });
    }
    return {
      descriptor,
      aggregationTemporality: temporality,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints,
    };
  }
}

// A MetricReader keeps the SDK's own Resource and ignores a producer's; this one only
// serves isolated collectors serialized without an SDK.
const EMPTY_RESOURCE = { attributes: {} } as unknown as ResourceMetrics['resource'];

export function millisToHrTime(ms: number): HrTime {
  const sec = Math.floor(ms / 1000);
  return [sec, Math.round((ms - sec * 1000) * 1e6)];
}
