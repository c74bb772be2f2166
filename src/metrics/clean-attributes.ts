import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { warnOnce } from '../util/report.js';

// A call's attributes as the series store keeps them (src/metrics/store.ts).

function isAttributeValue(v: unknown): v is AttributeValue {
  const t = typeof v;
  if (t === 'string' || t === 'boolean') return true;
  if (t === 'number') return true;
  if (Array.isArray(v)) return v.every((x) => x == null || ['string', 'number', 'boolean'].includes(typeof x));
  return false;
}

/** A frozen copy holding only valid attribute values (OTel drops undefined/null/objects). */
export function cleanAttributes(attrs: Attributes): Attributes {
  const out: Attributes = {};
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    if (!isAttributeValue(v)) {
      warnOnce(`attribute "${k}" has an unsupported value type (${typeof v}); it is dropped`);
      continue;
    }
    out[k] = Array.isArray(v) ? (Object.freeze(v.slice()) as AttributeValue) : v;
  }
  return Object.freeze(out);
}

/** True when walking `attrs` takes the trie path of `clean` (same keys, order and values). */
export function sameWalk(attrs: Attributes, clean: Attributes): boolean {
  const keys = Object.keys(clean);
  let i = 0;
  for (const k in attrs) {
    if (keys[i] !== k || clean[k] !== attrs[k]) return false;
    i++;
  }
  return i === keys.length;
}
