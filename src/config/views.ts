import type { ViewConfigModel, AggregationConfigModel } from '@opentelemetry/configuration';
import type { ViewAggregation, ViewSpec, ViewInstrumentType } from '../metrics/view-spec.js';

// `meter_provider.views[]` of the configuration file (already validated against the schema)
// into the ViewSpec form src/metrics/ applies: camel-cased, nulls dropped, frozen.

function aggregation(a: AggregationConfigModel | undefined): ViewAggregation | undefined {
  if (!a) return undefined;
  if ('drop' in a) return { type: 'drop' };
  if ('sum' in a) return { type: 'sum' };
  if ('last_value' in a) return { type: 'last_value' };
  if ('explicit_bucket_histogram' in a) {
    const h = a.explicit_bucket_histogram ?? {};
    return {
      type: 'explicit_bucket_histogram',
      ...(h.boundaries ? { boundaries: Object.freeze([...h.boundaries]) } : {}),
      ...(typeof h.record_min_max === 'boolean' ? { recordMinMax: h.record_min_max } : {}),
    };
  }
  if ('base2_exponential_bucket_histogram' in a) {
    const h = a.base2_exponential_bucket_histogram ?? {};
    return {
      type: 'base2_exponential_bucket_histogram',
      ...(typeof h.max_scale === 'number' ? { maxScale: h.max_scale } : {}),
      ...(typeof h.max_size === 'number' ? { maxSize: h.max_size } : {}),
      ...(typeof h.record_min_max === 'boolean' ? { recordMinMax: h.record_min_max } : {}),
    };
  }
  return { type: 'default' };
}

const str = (v: string | null | undefined): v is string => typeof v === 'string';

export function viewSpecs(views: readonly ViewConfigModel[] | undefined): readonly ViewSpec[] {
  if (!views) return Object.freeze([]);
  return Object.freeze(
    views.map((v): ViewSpec => {
      const s = v.selector ?? {};
      const t = v.stream ?? {};
      const agg = aggregation(t.aggregation);
      const keys = t.attribute_keys;
      return Object.freeze({
        selector: Object.freeze({
          ...(str(s.instrument_name) ? { instrumentName: s.instrument_name } : {}),
          ...(str(s.instrument_type) ? { instrumentType: s.instrument_type as ViewInstrumentType } : {}),
          ...(str(s.unit) ? { unit: s.unit } : {}),
          ...(str(s.meter_name) ? { meterName: s.meter_name } : {}),
          ...(str(s.meter_version) ? { meterVersion: s.meter_version } : {}),
          ...(str(s.meter_schema_url) ? { meterSchemaUrl: s.meter_schema_url } : {}),
        }),
        stream: Object.freeze({
          ...(str(t.name) ? { name: t.name } : {}),
          ...(str(t.description) ? { description: t.description } : {}),
          ...(agg ? { aggregation: Object.freeze(agg) } : {}),
          ...(keys
            ? {
                attributeKeys: Object.freeze({
                  ...(keys.included ? { included: Object.freeze([...keys.included]) } : {}),
                  ...(keys.excluded ? { excluded: Object.freeze([...keys.excluded]) } : {}),
                }),
              }
            : {}),
          ...(typeof t.aggregation_cardinality_limit === 'number' ? { cardinalityLimit: t.aggregation_cardinality_limit } : {}),
        }),
      });
    }),
  );
}
