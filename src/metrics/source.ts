import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ScrapeInput } from './exposition.js';
import { getState, type MetricsSource, type MetricsSourceOwner } from '../state.js';
import { SeriesStore } from './store.js';
import { StoreMetricProducer } from './producer.js';

export type { MetricsSource, MetricsSourceOwner };

/** The facade's shared series store (the one `new MetricsCollector()` records into). */
export function sharedStore(): SeriesStore {
  return (getState().metrics.store ??= new SeriesStore());
}

/**
 * Install (or, with `undefined`, remove) where metrics come from. The SDK installs its pull
 * reader (`sdk`); a cluster's serving process installs the merge of every worker (`cluster`),
 * which then serves `/metrics` while the process's own collection stays reachable through
 * collectOwnMetrics() for the merge itself.
 */
export function setMetricsSource(source: MetricsSource | undefined, owner: MetricsSourceOwner): void {
  getState().metrics.sources[owner] = source;
}

/** The facade's series alone: what there is before (or without) an SDK. */
function facadeOnly(): ResourceMetrics {
  return new StoreMetricProducer(sharedStore()).collectSync().resourceMetrics;
}

/** Everything `/metrics` serves: the cluster when this process serves one, else this process. */
export async function collectMetrics(): Promise<ResourceMetrics> {
  const { cluster, sdk } = getState().metrics.sources;
  const source = cluster ?? sdk;
  return source ? source.collect() : facadeOnly();
}

/** This process's own metrics (SDK instruments and facade), never the cluster's. */
export async function collectOwnMetrics(): Promise<ResourceMetrics> {
  const sdk = getState().metrics.sources.sdk;
  return sdk ? sdk.collect() : facadeOnly();
}

const NO_RESOURCE = { attributes: {} } as unknown as ResourceMetrics['resource'];

/**
 * What a scrape of `/metrics` writes: the cluster's merge when this process serves one (and has
 * workers to merge), else
 * the SDK's instruments and the shared store (walked by the scrape itself, not turned into
 * data points first).
 */
export async function collectForScrape(): Promise<ScrapeInput> {
  const { cluster, sdk } = getState().metrics.sources;
  if (cluster && cluster.alone?.() !== true) return { rm: await cluster.collect() };
  if (sdk === undefined) return { rm: { resource: NO_RESOURCE, scopeMetrics: [] }, store: sharedStore() };
  if (sdk.collectApart === undefined) return { rm: await sdk.collect() };
  return { rm: await sdk.collectApart(), store: sharedStore() };
}
