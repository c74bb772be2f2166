import type { MeterProvider } from '@opentelemetry/sdk-metrics';

// sdk-metrics hands an instrument every registered view whose selector matches, one stream
// each (OTel's spec), and its selector turns only the first `*` of a name into a wildcard.
// The package applies one rule to the facade and the SDK alike (src/metrics/views.ts: the
// first matching view, `*` and `?` anywhere), so the provider's view registry is asked through
// `pick` instead. There is no public hook for this: `_sharedState.viewRegistry` is private.
// Its shape is checked before use, and when it differs the SDK keeps its own matching (the
// views still apply, with sdk-metrics' rules) after one warning.
// test/unit/metrics/views-sdk.test.js holds the contract against the pinned sdk-metrics.

interface Registry {
  findViews(
    instrument: { name: string; type: string; unit: string },
    scope: { name: string; version?: string; schemaUrl?: string },
  ): unknown[];
  _registeredViews?: unknown[];
}

/**
 * Make `provider` give each instrument the registered view `pick` chooses (an index into the
 * views it was built with, -1 for none). False when the registry is not as expected.
 */
export function pickViews(
  provider: MeterProvider,
  count: number,
  pick: (instrument: { name: string; type: string; unit: string }, scope: { name: string; version?: string; schemaUrl?: string }) => number,
): boolean {
  const registry = (provider as unknown as { _sharedState?: { viewRegistry?: Registry } })._sharedState?.viewRegistry;
  const views = registry?._registeredViews;
  if (registry === undefined || typeof registry.findViews !== 'function' || !Array.isArray(views) || views.length !== count) {
    return false;
  }
  registry.findViews = (instrument, scope) => {
    const i = pick(instrument, scope);
    return i >= 0 && i < views.length ? [views[i]] : [];
  };
  return true;
}
