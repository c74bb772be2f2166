import { InstrumentType } from '../sdk-enums.js';
import { EXPLICIT_BUCKET_HISTOGRAM } from '../aggregations/explicit-bucket-histogram.js';
import type { InstrumentKind } from './types.js';
import { FINITE, isFiniteNumber, rejectValue } from './validate.js';

export interface BoundHistogram {
  record(value: number): void;
}

/** A distribution of observations: request durations, payload sizes. */
export const HISTOGRAM: InstrumentKind<BoundHistogram> = {
  name: 'histogram',
  noun: 'histogram',
  declare: 'declareHistogram',
  instrumentType: InstrumentType.HISTOGRAM,
  aggregation: EXPLICIT_BUCKET_HISTOGRAM,
  accepts: isFiniteNumber,
  rejection: () => FINITE,
  bind(inst, s) {
    const agg = inst.aggregation;
    if (inst.ttlMs === 0) {
      return {
        record(value) {
          if (isFiniteNumber(value)) agg.record(inst, s, value);
          else rejectValue(HISTOGRAM, inst.name, value);
        },
      };
    }
    // Series that expire: a series not yet noted in this tick, or expired, is noted (or
    // revived) by Instrument.touch(); kept apart so that handles without a TTL skip the check.
    let live = s;
    return {
      record(value) {
        if (!isFiniteNumber(value)) return rejectValue(HISTOGRAM, inst.name, value);
        if (live.seen !== inst.tick) live = inst.touch(live);
        agg.record(inst, live, value);
      },
    };
  },
  unbound: { record() {} },
};
