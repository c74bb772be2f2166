import type { InstrumentKind, InstrumentKindName } from './types.js';
import { COUNTER } from './counter.js';
import { UP_DOWN_COUNTER } from './up-down-counter.js';
import { GAUGE } from './gauge.js';
import { HISTOGRAM } from './histogram.js';

export { COUNTER, UP_DOWN_COUNTER, GAUGE, HISTOGRAM };

/** Every kind the facade records, by name. */
export const KINDS: Readonly<Record<InstrumentKindName, InstrumentKind>> = Object.freeze({
  counter: COUNTER,
  updowncounter: UP_DOWN_COUNTER,
  gauge: GAUGE,
  histogram: HISTOGRAM,
});
