import { InstrumentType } from '../sdk-enums.js';
import { LAST_VALUE } from '../aggregations/last-value.js';
import type { InstrumentKind } from './types.js';
import { FINITE, isFiniteNumber, rejectValue } from './validate.js';

export interface BoundGauge {
  set(value: number): void;
}

/** A value set from time to time: memory in use, temperature. The last value is kept. */
export const GAUGE: InstrumentKind<BoundGauge> = {
  name: 'gauge',
  noun: 'gauge',
  declare: 'declareGauge',
  instrumentType: InstrumentType.GAUGE,
  aggregation: LAST_VALUE,
  accepts: isFiniteNumber,
  rejection: () => FINITE,
  bind(inst, s) {
    const agg = inst.aggregation;
    if (inst.ttlMs === 0) {
      return {
        set(value) {
          if (isFiniteNumber(value)) agg.record(inst, s, value);
          else rejectValue(GAUGE, inst.name, value);
        },
      };
    }
    // Series that expire: a series not yet noted in this tick, or expired, is noted (or
    // revived) by Instrument.touch(); kept apart so that handles without a TTL skip the check.
    let live = s;
    return {
      set(value) {
        if (!isFiniteNumber(value)) return rejectValue(GAUGE, inst.name, value);
        if (live.seen !== inst.tick) live = inst.touch(live);
        agg.record(inst, live, value);
      },
    };
  },
  unbound: { set() {} },
};
