import type { MetricShape, SummaryRule } from './types.js';
import { formatValue } from '../text-format.js';

// What sums and last values share: a point is one number.

type NumberParts = Pick<MetricShape<number>, 'exemplars' | 'samples' | 'scalar' | 'copy' | 'combine' | 'encode' | 'decode'>;

export const NUMBER_POINTS: NumberParts = {
  exemplars: false,
  samples(family, labels, value) {
    return family + '{' + labels + '} ' + formatValue(value) + '\n';
  },
  scalar: (value) => value,
  copy: (value) => value,
  combine(a, b, rule) {
    return rule === 'min' ? Math.min(a, b) : rule === 'max' ? Math.max(a, b) : a + b;
  },
  encode(value, before, row) {
    if (before === value || (value !== value && before !== before && typeof before === 'number')) return undefined;
    // JSON has no NaN or ±Infinity: they travel as strings.
    row.push(Number.isFinite(value) ? value : String(value));
    return value;
  },
  decode(row, at) {
    const v = row[at.i++];
    return typeof v === 'number' ? v : Number(v);
  },
};

/** Counters in the JSON summary: summed over their attribute sets; a counter without series shows 0. */
export const SUMMED: SummaryRule<number, number> = {
  key: 'counters',
  empty: 0,
  entry: (value) => value,
  fold: (previous, entry) => (previous ?? 0) + entry,
};

/** Gauges (and up-down counters) in the JSON summary: the last series' value. */
export const LAST: SummaryRule<number, number> = {
  key: 'gauges',
  empty: undefined,
  entry: (value) => value,
  fold: (_previous, entry) => entry,
};

export const NO_BOUNDARIES: number[] = [];
