import type { Attributes } from '@opentelemetry/api';
import { warnOnce } from '../util/report.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info.js';
import { activeViews, firstView, type CompiledView } from './views.js';
import { filterAttributes } from './view-match.js';
import type { ViewInstrumentType } from './view-spec.js';
import type { Aggregation } from './aggregations/types.js';
import { EXPLICIT_BUCKET_HISTOGRAM, LAST_VALUE, MONOTONIC_SUM, NON_MONOTONIC_SUM } from './aggregations/registry.js';
import { DROP } from './aggregations/drop.js';
import type { InstrumentKind } from './kinds/types.js';
import type { InstrumentOptions } from './store.js';

// A view applied to one of the facade's instruments, once, when it is created: the result is
// plain InstrumentOptions (another aggregation, exported name, description, buckets,
// cardinality limit, attribute filter). Nothing here runs per call; the attribute filter runs
// on the store's trie-miss path only (src/metrics/store.ts).

const TYPE: Record<string, ViewInstrumentType> = {
  counter: 'counter',
  updowncounter: 'up_down_counter',
  gauge: 'gauge',
  histogram: 'histogram',
};

const NO_ATTRIBUTES: Attributes = Object.freeze({});
const dropAll = (): Attributes => NO_ATTRIBUTES;

/** The aggregation a view asks for, for this kind; undefined: the kind's own. */
function aggregationFor(view: CompiledView, name: string, kind: InstrumentKind): Aggregation | undefined {
  const agg = view.spec.stream.aggregation;
  switch (agg?.type) {
    case undefined:
    case 'default':
      return undefined;
    case 'drop':
      return DROP;
    // Monotonic for the instruments whose values only add up (as sdk-metrics decides it).
    case 'sum':
      return kind.name === 'counter' || kind.name === 'histogram' ? MONOTONIC_SUM : NON_MONOTONIC_SUM;
    case 'last_value':
      return LAST_VALUE;
    case 'explicit_bucket_histogram':
      return EXPLICIT_BUCKET_HISTOGRAM;
    case 'base2_exponential_bucket_histogram':
      warnOnce(
        `view #${view.index}: the facade's ${kind.noun} "${name}" cannot keep a base2 exponential histogram (neither Prometheus ` +
          'exposition nor the cluster merge has one); its default aggregation is kept',
      );
      return undefined;
  }
}

/** The options of a new facade instrument with the process's first matching view applied. */
export function applyView(name: string, kind: InstrumentKind, options: InstrumentOptions): InstrumentOptions {
  const views = activeViews();
  if (views.length === 0) return options;
  const view = firstView(views, {
    name,
    type: TYPE[kind.name]!,
    unit: options.unit ?? '',
    meterName: PACKAGE_NAME,
    meterVersion: PACKAGE_VERSION,
  });
  if (view === undefined) return options;
  const { stream } = view.spec;
  const out: InstrumentOptions = { ...options };
  const aggregation = aggregationFor(view, name, kind);
  if (aggregation !== undefined) out.aggregation = aggregation;
  if (stream.name !== undefined) out.streamName = stream.name;
  if (stream.description !== undefined) out.description = stream.description;
  // A view's boundaries replace declareHistogram's buckets, as a view's aggregation replaces
  // an OTel instrument's advice.
  if (stream.aggregation?.type === 'explicit_bucket_histogram' && stream.aggregation.boundaries !== undefined) {
    out.buckets = stream.aggregation.boundaries.slice();
  }
  if (stream.cardinalityLimit !== undefined) out.cardinalityLimit = stream.cardinalityLimit;
  const keep = view.keepKey;
  if (aggregation === DROP) out.attributeFilter = dropAll;
  else if (keep !== undefined) out.attributeFilter = (attrs) => filterAttributes(attrs, keep);
  return out;
}
