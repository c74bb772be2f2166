import { describe, invalidArgument } from '../../util/report.js';
import type { InstrumentKind } from './types.js';

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && v - v === 0;
}

export const FINITE = 'expected a finite number';

/** The one-time warning (TypeError under MONITORING_STRICT=1) for a value the kind refused. */
export function rejectValue(kind: InstrumentKind, name: string, value: unknown): void {
  invalidArgument(`${kind.noun} "${name}" got value ${describe(value)}: ${kind.rejection(value)}; the call is ignored`);
}

/** "a counter", "an up-down counter". */
export function withArticle(kind: InstrumentKind): string {
  return (/^[aeiou]/.test(kind.noun) ? 'an ' : 'a ') + kind.noun;
}
