// Instrument names and their Prometheus translation, per the OTel specification
// "Prometheus and OpenMetrics Compatibility" (metric name, unit suffix, `_total` for
// monotonic sums, `_ratio` for unit "1" gauges).

/** OTel instrument name syntax: a letter, then up to 254 of [A-Za-z0-9_.-/]. */
const INSTRUMENT_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/;

export function isValidInstrumentName(name: unknown): name is string {
  return typeof name === 'string' && INSTRUMENT_NAME.test(name);
}

const UNIT_WORDS: Record<string, string> = {
  // time
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  // bytes
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  // SI
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};
const PER_WORDS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

// Own properties only: a unit such as "constructor" must not find Object.prototype's.
function lookup(table: Record<string, string>, unit: string): string | undefined {
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

/** Prometheus unit suffix for a UCUM unit ('' when there is none to add). */
export function unitSuffix(unit: string, isGauge: boolean): string {
  if (unit === '') return '';
  if (unit === '1') return isGauge ? 'ratio' : '';
  // Annotations like {requests} carry no unit.
  const u = unit.replace(/\{[^}]*\}/g, '');
  if (u === '') return '';
  const slash = u.indexOf('/');
  if (slash >= 0) {
    const a = u.slice(0, slash);
    const b = u.slice(slash + 1);
    const left = lookup(UNIT_WORDS, a) ?? sanitizeUnit(a);
    const right = lookup(PER_WORDS, b) ?? sanitizeUnit(b);
    if (!right) return left;
    return left ? `${left}_per_${right}` : `per_${right}`;
  }
  return lookup(UNIT_WORDS, u) ?? sanitizeUnit(u);
}

function sanitizeUnit(u: string): string {
  return u.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Characters outside [a-zA-Z0-9_:] become `_`, repeated `_` collapse, no leading digit. */
export function sanitizeMetricName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]+/g, '_').replace(/_{2,}/g, '_');
  if (/^[0-9]/.test(out)) out = '_' + out;
  return out;
}

export function sanitizeLabelName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_]+/g, '_').replace(/_{2,}/g, '_');
  if (/^[0-9]/.test(out)) out = '_' + out;
  return out;
}

export type PromType = 'counter' | 'gauge' | 'histogram';

/**
 * The Prometheus family name for an OTel metric: sanitized name, unit suffix unless the name
 * already ends with it, and `_total` for counters (the caller appends `_total` on samples of
 * counter families only when the family name lacks it). `suffixes: false` leaves out the unit
 * and `_total` (the pull exporter's translation_strategy underscore_escaping_without_suffixes),
 * except `_total` where the format requires it (`total: true`, OpenMetrics counters).
 */
export function prometheusName(name: string, unit: string, type: PromType, suffixes = true, total = false): string {
  let out = sanitizeMetricName(name);
  const withTotal = type === 'counter' && (suffixes || total);
  if (withTotal && out.endsWith('_total')) out = out.slice(0, -'_total'.length);
  const suffix = suffixes ? unitSuffix(unit, type === 'gauge') : '';
  if (suffix && !out.endsWith('_' + suffix) && out !== suffix) out = `${out}_${suffix}`;
  if (withTotal) out += '_total';
  return out;
}
