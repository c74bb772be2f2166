export { attributeKey as attrKey } from '../metrics/attribute-key.js';

/** A number for the wire: JSON has no NaN or ±Infinity. */
export function wireNumber(v: number | undefined): number | string | null {
  if (v === undefined) return null;
  return Number.isFinite(v) ? v : String(v);
}

/** The inverse of wireNumber ("NaN", "Infinity", "-Infinity" → the number; null → undefined). */
export function fromWire(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return undefined;
  return Number(v);
}
