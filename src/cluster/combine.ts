import type { Attributes, HrTime } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { AttrDef, Kind, PointValue } from './decode.js';
import { attrKey } from './keys.js';
import type { GaugeAggregation } from './wire.js';

/** The attribute that names the process a per-worker series comes from. */
export const WORKER_ATTRIBUTE = 'worker';

/** One merged series. Lives across merges; `gen` says which merge last wrote it. */
export interface Slot {
  attributes: Attributes;
  key: string;
  value: PointValue;
  /** False while a histogram `value` is a contribution's own object: cloned only when a second one is added (copy-on-write). */
  owned: boolean;
  /** When the value was recorded (for the 'last' gauge aggregation). */
  end: HrTime;
  gen: number;
}

/** One metric's merged series, kept between merges so a series is found without building a key. */
export interface Merged {
  slots: Map<string, Slot>;
  gen: number;
  /** Bumped when stale slots are dropped: every cached slot reference is then looked up again. */
  epoch: number;
  /** The slots written by the current merge, in order. */
  live: Slot[];
}

export function slotFor(m: Merged, key: string, attributes: Attributes): Slot {
  let s = m.slots.get(key);
  if (s === undefined) m.slots.set(key, (s = { attributes, key, value: 0, owned: false, end: [0, 0], gen: -1 }));
  return s;
}

/** Add one contribution's value to a slot under the metric's rule. */
export function put(m: Merged, slot: Slot, value: PointValue, end: HrTime, kind: Kind, agg: GaugeAggregation, owner: string): void {
  if (slot.gen !== m.gen) {
    slot.gen = m.gen;
    slot.value = value;
    slot.owned = false;
    slot.end = end;
    m.live.push(slot);
    return;
  }
  if (kind === 'other' || kind === 'host') return;
  if (kind === 'histogram') {
    own(slot);
    if (!mergeHistogram(slot.value as Histogram, value as Histogram)) {
      // Different bucket layouts cannot be added exactly: keep this process's series apart.
      const attrs = { ...slot.attributes, [WORKER_ATTRIBUTE]: owner };
      put(m, slotFor(m, attrKey(attrs), attrs), value, end, kind, agg, owner);
    }
    return;
  }
  const a = slot.value as number;
  const b = value as number;
  switch (agg) {
    case 'min':
      slot.value = Math.min(a, b);
      break;
    case 'max':
      slot.value = Math.max(a, b);
      break;
    case 'last':
      if (compareTime(end, slot.end) >= 0) {
        slot.value = b;
        slot.end = end;
      }
      break;
    default:
      slot.value = a + b;
  }
}

export function withWorker(a: AttrDef, id: string): { attributes: Attributes; key: string } {
  let w = a.worker;
  if (w === undefined || w.attributes[WORKER_ATTRIBUTE] !== id) {
    const attributes = { ...a.attributes, [WORKER_ATTRIBUTE]: id };
    a.worker = w = { attributes, key: attrKey(attributes) };
  }
  return w;
}

function own(slot: Slot): void {
  if (slot.owned) return;
  slot.owned = true;
  slot.value = copyValue(slot.value);
}

export function copyValue(v: PointValue): PointValue {
  if (typeof v === 'object' && v !== null && 'buckets' in v) {
    const h = v as Histogram;
    return { ...h, buckets: { boundaries: h.buckets.boundaries, counts: h.buckets.counts.slice() } };
  }
  return v;
}

/** a += b when both have the same buckets; false (a untouched) otherwise. */
export function mergeHistogram(a: Histogram, b: Histogram): boolean {
  const ab = a.buckets.boundaries;
  const bb = b.buckets.boundaries;
  if (ab !== bb) {
    if (ab.length !== bb.length) return false;
    for (let i = 0; i < ab.length; i++) if (ab[i] !== bb[i]) return false;
  }
  for (let i = 0; i < a.buckets.counts.length; i++) a.buckets.counts[i]! += b.buckets.counts[i] ?? 0;
  a.count += b.count;
  a.sum = (a.sum ?? 0) + (b.sum ?? 0);
  if (b.count > 0) {
    a.min = a.min === undefined || a.count === b.count ? b.min : b.min === undefined ? a.min : Math.min(a.min, b.min);
    a.max = a.max === undefined || a.count === b.count ? b.max : b.max === undefined ? a.max : Math.max(a.max, b.max);
  }
  return true;
}

export function compareTime(a: HrTime, b: HrTime): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}
