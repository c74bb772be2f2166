import { diag } from '@opentelemetry/api';
import { getState } from '../state.js';
import { MetricHistory } from '../recent/history.js';
import { collectMetrics } from '../metrics/source.js';
import { onShutdown } from '../shutdown.js';
import { historyPoints, historySeries, sampleMs, uiEnabled } from './config.js';
import { PACKAGE_NAME } from '../package-info.js';
import { TimeSlicer } from '../util/time-slice.js';

export interface Sampler {
  history: MetricHistory;
  timer: NodeJS.Timeout;
  /** The monitoring servers (or mounted handlers) using it; the last one to stop stops it. */
  owners: Set<object>;
}

/**
 * The metric history behind the sparklines: one collection through the pull reader every
 * MONITORING_UI_SAMPLE_MS, on an unref'd timer (it never keeps the process alive), recorded in
 * time slices so that many series never hold the event loop in one piece.
 * One per process, shared by every monitoring server; off with MONITORING_UI=false.
 */
export function startHistorySampler(owner: object): MetricHistory | undefined {
  if (!uiEnabled()) return undefined;
  const ui = getState().ui;
  const existing = ui.sampler;
  if (existing) {
    existing.owners.add(owner);
    return existing.history;
  }
  const history = new MetricHistory(historyPoints(), historySeries());
  let busy = false;
  const tick = () => {
    if (busy) return; // a slow collection never piles up behind itself
    busy = true;
    collectMetrics()
      .then((rm) => new TimeSlicer().run(history.sampleSteps(rm, Date.now())))
      .catch((err: unknown) => diag.debug(`${PACKAGE_NAME}: metric history sample failed: ${(err as Error)?.message}`))
      .finally(() => (busy = false));
  };
  const timer = setInterval(tick, sampleMs());
  timer.unref();
  setImmediate(tick).unref();
  ui.sampler = { history, timer, owners: new Set([owner]) };
  onShutdown('end', () => clearInterval(timer));
  return history;
}

/** `owner` no longer needs the history; with no owner left the sampling timer stops. */
export function releaseHistorySampler(owner: object): void {
  const ui = getState().ui;
  const s = ui.sampler;
  if (!s || !s.owners.delete(owner) || s.owners.size > 0) return;
  clearInterval(s.timer);
  ui.sampler = undefined;
}

export function metricHistory(): MetricHistory | undefined {
  return getState().ui.sampler?.history;
}
