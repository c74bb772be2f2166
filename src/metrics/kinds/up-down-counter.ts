import { InstrumentType } from '../sdk-enums.js';
import { NON_MONOTONIC_SUM } from '../aggregations/sum.js';
import type { InstrumentKind } from './types.js';
import { FINITE, isFiniteNumber, rejectValue } from './validate.js';

/** An up-down counter series bound to one attribute set: `add()` does no lookup. */
export interface BoundUpDownCounter {
  add(delta: number): void;
}

/**
 * Goes up and down by deltas: items in a queue, connections open. OTel's UpDownCounter: a
 * non-monotonic sum (a Prometheus gauge without `_total`), summed over cluster workers.
 */
export const UP_DOWN_COUNTER: InstrumentKind<BoundUpDownCounter> = {
  name: 'updowncounter',
  noun: 'up-down counter',
  declare: 'declareUpDownCounter',
  instrumentType: InstrumentType.UP_DOWN_COUNTER,
  aggregation: NON_MONOTONIC_SUM,
  accepts: isFiniteNumber,
  rejection: () => FINITE,
  bind(inst, s) {
    const agg = inst.aggregation;
    if (inst.ttlMs === 0) {
      return {
        add(delta) {
          if (isFiniteNumber(delta)) agg.record(inst, s, delta);
          else rejectValue(UP_DOWN_COUNTER, inst.name, delta);
        },
      };
    }
    // Series that expire: a series not yet noted in this tick, or expired, is noted (or
    // revived) by Instrument.touch(); kept apart so that handles without a TTL skip the check.
    let live = s;
    return {
      add(delta) {
        if (!isFiniteNumber(delta)) return rejectValue(UP_DOWN_COUNTER, inst.name, delta);
        if (live.seen !== inst.tick) live = inst.touch(live);
        agg.record(inst, live, delta);
      },
    };
  },
  unbound: { add() {} },
};
