import type { Attributes } from '@opentelemetry/api';

/** Attribute-set identity independent of key order (computed once per attribute set and connection). */
export function attrKey(attrs: Attributes): string {
  const keys = Object.keys(attrs);
  if (keys.length === 0) return '';
  if (keys.length > 1) keys.sort();
  let s = '';
  for (const k of keys) {
    const v = attrs[k];
    if (v === undefined) continue;
    // The type is part of the identity: 200 and "200" are different attribute values.
    s += k + (typeof v === 'string' ? '\u0001' + v : '\u0003' + JSON.stringify(v)) + '\u0002';
  }
  return s;
}

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
