// Values of @opentelemetry/sdk-metrics enums, mirrored so the hot-path folder needs only type
// imports from the SDK (importing the package never loads the SDK; register does).
import type { AggregationTemporality as AT, DataPointType as DPT, InstrumentType as IT } from '@opentelemetry/sdk-metrics';

export const AggregationTemporality = { DELTA: 0 as AT.DELTA, CUMULATIVE: 1 as AT.CUMULATIVE } as const;
export const DataPointType = {
  HISTOGRAM: 0 as DPT.HISTOGRAM,
  EXPONENTIAL_HISTOGRAM: 1 as DPT.EXPONENTIAL_HISTOGRAM,
  GAUGE: 2 as DPT.GAUGE,
  SUM: 3 as DPT.SUM,
} as const;
export const InstrumentType = {
  COUNTER: 'COUNTER' as IT.COUNTER,
  GAUGE: 'GAUGE' as IT.GAUGE,
  HISTOGRAM: 'HISTOGRAM' as IT.HISTOGRAM,
  UP_DOWN_COUNTER: 'UP_DOWN_COUNTER' as IT.UP_DOWN_COUNTER,
} as const;
