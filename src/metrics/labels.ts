import type { Attributes } from '@opentelemetry/api';
import { sanitizeLabelName } from './names.js';
import { escapeLabelValue } from './text-format.js';
import type { Series } from './series.js';

// Label pairs as the exposition writes them (src/metrics/exposition.ts): `name="value"`,
// comma-separated, without braces.

// Label names repeat across every series of a scrape: sanitize each distinct key once.
const labelNames = new Map<string, string>();
function labelName(k: string): string {
  let n = labelNames.get(k);
  if (n === undefined) {
    n = sanitizeLabelName(k);
    if (labelNames.size < 10_000) labelNames.set(k, n);
  }
  return n;
}

/** An attribute set's label pairs, then `extra` (already formatted pairs) when given. */
export function labelString(attrs: Attributes, extra: string): string {
  let out = '';
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    const s = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
    out += (out ? ',' : '') + labelName(k) + '="' + escapeLabelValue(s) + '"';
  }
  if (extra) out += (out ? ',' : '') + extra;
  return out;
}

/**
 * A store series' label pairs, built at each scrape. Not cached on the series: a cached string
 * saved ~25% of the writer's time for counters (bench/serialize.js) but costs every series
 * ~50 bytes of heap for as long as it lives, and the writer is already well under prom-client's
 * time while heap per series is not.
 */
export function seriesLabels(s: Series): string {
  return labelString(s.attributes, '');
}
