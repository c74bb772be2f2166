import type { Attributes, HrTime } from '@opentelemetry/api';
import type { MetricShape } from '../metrics/aggregations/types.js';
import type { AttrDef, MetricDef, PointValue } from './decode.js';
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
  /**
   * The data point served for this series, updated in place by each merge once the slot's value
   * is final: long-lived, so a merge of 100,000 series allocates no 100,000 new objects for the
   * young generation to copy while a scrape writes them.
   */
  point?: { startTime: HrTime; endTime: HrTime; attributes: Attributes; value: PointValue };
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
  if (s === undefined) m.slots.set(key, (s = { attributes, key, value: 0, owned: false, end: [0, 0], gen: -1, point: undefined }));
  return s;
}

/** Add one contribution's value to a slot under the metric's rule. */
export function put(m: Merged, slot: Slot, value: PointValue, end: HrTime, def: MetricDef, agg: GaugeAggregation, owner: string): void {
  if (slot.gen !== m.gen) {
    slot.gen = m.gen;
    slot.value = value;
    slot.owned = false;
    slot.end = end;
    m.live.push(slot);
    return;
  }
  // Host metrics: one process's values, the first written.
  if (def.host) return;
  if (agg === 'last') {
    if (compareTime(end, slot.end) >= 0) {
      slot.value = value;
      slot.end = end;
    }
    return;
  }
  own(slot, def.shape);
  const combined = def.shape.combine(slot.value, value, agg === 'min' || agg === 'max' ? agg : 'sum');
  if (combined !== undefined) {
    slot.value = combined;
    return;
  }
  // Different bucket layouts cannot be added exactly: keep this process's series apart.
  const attrs = { ...slot.attributes, [WORKER_ATTRIBUTE]: owner };
  put(m, slotFor(m, attrKey(attrs), attrs), value, end, def, agg, owner);
}

export function withWorker(a: AttrDef, id: string): { attributes: Attributes; key: string } {
  let w = a.worker;
  if (w === undefined || w.attributes[WORKER_ATTRIBUTE] !== id) {
    const attributes = { ...a.attributes, [WORKER_ATTRIBUTE]: id };
    a.worker = w = { attributes, key: attrKey(attributes) };
  }
  return w;
}

/** Copy-on-write: a slot's first value is a contribution's own object, copied before the first change. */
function own(slot: Slot, shape: MetricShape): void {
  if (slot.owned) return;
  slot.owned = true;
  slot.value = shape.copy(slot.value);
}

export function compareTime(a: HrTime, b: HrTime): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}
