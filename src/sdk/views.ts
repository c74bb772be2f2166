import type { Attributes } from '@opentelemetry/api';
import {
  AggregationType,
  type AggregationOption,
  type IAttributesProcessor,
  type MeterProvider,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { activeViews, firstView, type CompiledView } from '../metrics/views.js';
import { filterAttributes } from '../metrics/view-match.js';
import { DEFAULT_BUCKETS } from '../metrics/aggregations/explicit-bucket-histogram.js';
import type { ViewAggregation, ViewInstrumentType } from '../metrics/view-spec.js';
import { pickViews } from '../compat/sdk-view-registry.js';
import { warnOnce } from '../util/report.js';

// The process's views as sdk-metrics views, for the MeterProvider src/sdk/start.ts builds:
// the OTel SDK's instruments (http.server.request.duration, runtime and host metrics) get the
// same streams as the facade's.

/**
 * An attributes processor keeping the keys `keep` accepts. sdk-metrics' own allow and deny
 * list processors take exact keys only; the configuration's `attribute_keys` allow `*` and `?`.
 */
export function wildcardAttributesProcessor(keep: (key: string) => boolean): IAttributesProcessor {
  return { process: (incoming: Attributes) => filterAttributes(incoming, keep) };
}

function aggregationOption(agg: ViewAggregation | undefined): AggregationOption | undefined {
  switch (agg?.type) {
    case undefined:
      return undefined;
    case 'default':
      return { type: AggregationType.DEFAULT };
    case 'drop':
      return { type: AggregationType.DROP };
    case 'sum':
      return { type: AggregationType.SUM };
    case 'last_value':
      return { type: AggregationType.LAST_VALUE };
    case 'explicit_bucket_histogram':
      return {
        type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
        options: { boundaries: (agg.boundaries ?? DEFAULT_BUCKETS).slice(), recordMinMax: agg.recordMinMax },
      };
    case 'base2_exponential_bucket_histogram':
      return { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: agg.maxSize, recordMinMax: agg.recordMinMax } };
  }
}

function viewOptions(view: CompiledView): ViewOptions {
  const { selector, stream } = view.spec;
  const options: ViewOptions = {
    instrumentName: selector.instrumentName,
    instrumentType: selector.instrumentType?.toUpperCase() as ViewOptions['instrumentType'],
    instrumentUnit: selector.unit,
    meterName: selector.meterName,
    meterVersion: selector.meterVersion,
    meterSchemaUrl: selector.meterSchemaUrl,
    name: stream.name,
    description: stream.description,
    aggregation: aggregationOption(stream.aggregation),
    aggregationCardinalityLimit: stream.cardinalityLimit,
  };
  if (view.keepKey !== undefined) options.attributesProcessors = [wildcardAttributesProcessor(view.keepKey)];
  return options;
}

/** The `views` option of the MeterProvider, from the views in force. */
export function sdkViewOptions(views: readonly CompiledView[] = activeViews()): ViewOptions[] {
  return views.map(viewOptions);
}

/** Make the provider choose views as the facade does (first match, full wildcards); see src/compat/sdk-view-registry.ts. */
export function useFirstMatchingView(provider: MeterProvider, views: readonly CompiledView[] = activeViews()): void {
  if (views.length === 0) return;
  const picked = pickViews(provider, views.length, (instrument, scope) => {
    const v = firstView(views, {
      name: instrument.name,
      type: instrument.type.toLowerCase() as ViewInstrumentType,
      unit: instrument.unit,
      meterName: scope.name,
      meterVersion: scope.version,
      meterSchemaUrl: scope.schemaUrl,
    });
    return v === undefined ? -1 : views.indexOf(v);
  });
  if (!picked) {
    warnOnce(
      'views: this @opentelemetry/sdk-metrics does not let the package choose views; OTel SDK instruments get every ' +
        'matching view, and instrument names match with sdk-metrics rules (one `*`, no `?`)',
    );
  }
}
