import { getState } from '../state.js';
import { getConfig } from '../config/index.js';
import { describe, invalidArgument, warnOnce } from '../util/report.js';
import { attributeKeyFilter, hasWildcard, wildcardMatcher } from './view-match.js';
import type { ViewAggregation, ViewInstrumentType, ViewSpec, ViewStream } from './view-spec.js';

export type { ViewSpec };

// The process's metric views, resolved once into matchers. Both the facade (when it creates
// an instrument: src/metrics/view-facade.ts) and the OTel SDK (src/sdk/views.ts) pick an
// instrument's view here, with one rule: the first view, in configuration order, whose
// selector matches. OTel's spec would make one stream per matching view; one stream per
// instrument keeps the facade's record a single write, and the SDK is held to the same rule
// so that the two never disagree.

/** What a view's selector is matched against. */
export interface InstrumentIdentity {
  readonly name: string;
  readonly type: ViewInstrumentType;
  readonly unit: string;
  readonly meterName: string;
  readonly meterVersion?: string;
  readonly meterSchemaUrl?: string;
}

/** A validated view: its (cleaned) spec, its position in the configuration, its matchers. */
export interface CompiledView {
  readonly index: number;
  readonly spec: ViewSpec;
  matches(id: InstrumentIdentity): boolean;
  /** Which attribute keys the stream keeps; undefined: all. */
  readonly keepKey: ((key: string) => boolean) | undefined;
}

const TYPES: readonly ViewInstrumentType[] = [
  'counter',
  'up_down_counter',
  'histogram',
  'gauge',
  'observable_counter',
  'observable_gauge',
  'observable_up_down_counter',
];
const AGGREGATIONS = ['default', 'drop', 'sum', 'last_value', 'explicit_bucket_histogram', 'base2_exponential_bucket_histogram'];

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function cleanAggregation(where: string, agg: unknown, report: Report): ViewAggregation | undefined {
  if (agg === undefined) return undefined;
  if (!isObject(agg) || typeof agg.type !== 'string' || !AGGREGATIONS.includes(agg.type)) {
    report(
      `${where}: aggregation must be one of ${AGGREGATIONS.join(', ')}, got ${describe(isObject(agg) ? agg.type : agg)}; the default is used`,
    );
    return undefined;
  }
  if (agg.type === 'explicit_bucket_histogram' && agg.boundaries !== undefined) {
    const b = agg.boundaries;
    const ok = Array.isArray(b) && b.every((x, i) => typeof x === 'number' && Number.isFinite(x) && (i === 0 || x > (b[i - 1] as number)));
    if (!ok) {
      report(`${where}: explicit_bucket_histogram boundaries must be finite numbers in ascending order; the default boundaries are used`);
      return { ...agg, boundaries: undefined } as ViewAggregation;
    }
  }
  return agg as ViewAggregation;
}

/** The view with what is invalid in it left out (each with one warning), or undefined when nothing selects. */
function clean(spec: unknown, i: number, report: Report): ViewSpec | undefined {
  const where = `view #${i}`;
  if (!isObject(spec) || !isObject(spec.selector)) {
    report(`${where}: expected an object with a selector and a stream, got ${describe(spec)}; the view is ignored`);
    return undefined;
  }
  const sel = spec.selector;
  const selector: Record<string, string> = {};
  for (const k of ['instrumentName', 'instrumentType', 'unit', 'meterName', 'meterVersion', 'meterSchemaUrl']) {
    const v = sel[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || (k === 'instrumentType' && !TYPES.includes(v as ViewInstrumentType))) {
      report(
        `${where}: selector ${k} ${describe(v)} is not valid${k === 'instrumentType' ? ` (one of ${TYPES.join(', ')})` : ''}; the view is ignored`,
      );
      return undefined;
    }
    selector[k] = v;
  }
  if (Object.keys(selector).length === 0) {
    report(`${where}: the selector selects nothing (give at least an instrument name or type); the view is ignored`);
    return undefined;
  }
  const s = isObject(spec.stream) ? spec.stream : {};
  const stream: { -readonly [K in keyof ViewStream]: ViewStream[K] } = {};
  if (typeof s.name === 'string') {
    if (selector.instrumentName === undefined || hasWildcard(selector.instrumentName)) {
      // The spec's rule (sdk-metrics enforces it too): one name for several instruments would merge unrelated streams.
      report(`${where}: stream name ${describe(s.name)} needs a selector naming one instrument without wildcards; the name is ignored`);
    } else stream.name = s.name;
  }
  if (typeof s.description === 'string') stream.description = s.description;
  const aggregation = cleanAggregation(where, s.aggregation, report);
  if (aggregation !== undefined) stream.aggregation = aggregation;
  if (s.attributeKeys !== undefined) {
    const ak = s.attributeKeys;
    if (
      !isObject(ak) ||
      (ak.included !== undefined && !isStringList(ak.included)) ||
      (ak.excluded !== undefined && !isStringList(ak.excluded))
    ) {
      report(`${where}: attributeKeys must be { included?: string[], excluded?: string[] }; every attribute is kept`);
    } else stream.attributeKeys = { included: ak.included as string[] | undefined, excluded: ak.excluded as string[] | undefined };
  }
  if (s.cardinalityLimit !== undefined) {
    const n = s.cardinalityLimit;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) stream.cardinalityLimit = n;
    else report(`${where}: cardinalityLimit must be a positive integer, got ${describe(n)}; the default is used`);
  }
  return { selector, stream };
}

function compile(spec: ViewSpec, index: number): CompiledView {
  const sel = spec.selector;
  const tests: ((id: InstrumentIdentity) => boolean)[] = [];
  if (sel.instrumentName !== undefined) {
    const m = wildcardMatcher(sel.instrumentName);
    tests.push((id) => m(id.name));
  }
  if (sel.instrumentType !== undefined) tests.push((id) => id.type === sel.instrumentType);
  if (sel.unit !== undefined) tests.push((id) => id.unit === sel.unit);
  if (sel.meterName !== undefined) tests.push((id) => id.meterName === sel.meterName);
  if (sel.meterVersion !== undefined) tests.push((id) => id.meterVersion === sel.meterVersion);
  if (sel.meterSchemaUrl !== undefined) tests.push((id) => id.meterSchemaUrl === sel.meterSchemaUrl);
  return { index, spec, matches: (id) => tests.every((t) => t(id)), keepKey: attributeKeyFilter(spec.stream.attributeKeys) };
}

/** How a problem in a view is told: a warning, or (setViews under MONITORING_STRICT=1) a TypeError. */
type Report = (message: string) => void;

/** Validate and compile views; each invalid part is reported (once) and left out. */
export function compileViews(specs: readonly unknown[], report: Report = warnOnce): CompiledView[] {
  const out: CompiledView[] = [];
  specs.forEach((spec, i) => {
    const c = clean(spec, i, report);
    if (c !== undefined) out.push(compile(c, i));
  });
  return out;
}

/** The first view that selects the instrument, if any. */
export function firstView(views: readonly CompiledView[], id: InstrumentIdentity): CompiledView | undefined {
  for (const v of views) if (v.matches(id)) return v;
  return undefined;
}

const compiled = new WeakMap<readonly unknown[], CompiledView[]>();

/**
 * Set the process's views (what the configuration's `meter_provider.views` resolve to). Views
 * are applied when an instrument is created: call this before the SDK starts and before the
 * application records, as the configuration does at start.
 */
export function setViews(specs: readonly ViewSpec[] | undefined): void {
  if (specs !== undefined && !Array.isArray(specs)) {
    invalidArgument(`setViews: expected an array of views, got ${describe(specs)}; views are unchanged`);
    return;
  }
  if (specs === undefined) {
    getState().metrics.views = undefined;
    return;
  }
  const frozen = Object.freeze(specs.slice());
  // Checked here, where a caller can be told (a TypeError under MONITORING_STRICT=1); views
  // found later (the configuration's) only warn: instrument creation must not throw.
  compiled.set(frozen, compileViews(frozen, invalidArgument));
  getState().metrics.views = frozen;
}

/** The views in force: those set by setViews(), else the resolved configuration's. */
export function activeViews(): readonly CompiledView[] {
  const state = getState();
  const specs = state.metrics.views ?? getConfig().metrics.views;
  if (specs === undefined || specs.length === 0) return [];
  let c = compiled.get(specs);
  if (c === undefined) compiled.set(specs, (c = compileViews(specs)));
  return c;
}
