// A metric view as the configuration resolves it (OTel declarative configuration's
// `meter_provider.views[]`, camel-cased): which instruments it selects and how their stream
// is kept. src/config/ produces these from the file; src/metrics/ applies them when an
// instrument is created (the facade's and the OTel SDK's alike), never per call.

export type ViewInstrumentType =
  'counter' | 'up_down_counter' | 'histogram' | 'gauge' | 'observable_counter' | 'observable_gauge' | 'observable_up_down_counter';

export type ViewAggregation =
  | { readonly type: 'default' }
  | { readonly type: 'drop' }
  | { readonly type: 'sum' }
  | { readonly type: 'last_value' }
  | { readonly type: 'explicit_bucket_histogram'; readonly boundaries?: readonly number[]; readonly recordMinMax?: boolean }
  | {
      readonly type: 'base2_exponential_bucket_histogram';
      readonly maxScale?: number;
      readonly maxSize?: number;
      readonly recordMinMax?: boolean;
    };

export interface ViewSelector {
  /** An instrument name; `*` matches any run of characters, `?` one character. */
  readonly instrumentName?: string;
  readonly instrumentType?: ViewInstrumentType;
  readonly unit?: string;
  readonly meterName?: string;
  readonly meterVersion?: string;
  readonly meterSchemaUrl?: string;
}

export interface ViewStream {
  readonly name?: string;
  readonly description?: string;
  readonly aggregation?: ViewAggregation;
  /** Attribute keys kept (`included`) or dropped (`excluded`); wildcards `*` and `?` allowed. */
  readonly attributeKeys?: { readonly included?: readonly string[]; readonly excluded?: readonly string[] };
  readonly cardinalityLimit?: number;
}

export interface ViewSpec {
  readonly selector: ViewSelector;
  readonly stream: ViewStream;
}
