import { diag } from '@opentelemetry/api';
import { getState } from '../state.js';
import { MetricHistory } from '../recent/history.js';
import { collectAll } from '../http/metrics-route.js';
import { onShutdown } from '../shutdown.js';
import { historyPoints, historySeries, sampleMs, uiEnabled } from './config.js';

interface Sampler {
  history: MetricHistory;
  timer: NodeJS.Timeout;
}

/**
 * The metric history behind the sparklines: one collection through the pull reader every
 * MONITORING_UI_SAMPLE_MS, on an unref'd timer (it never keeps the process alive).
 * Started once per process, by the first monitoring server; off with MONITORING_UI=false.
 */
export function startHistorySampler(): MetricHistory | undefined {
  if (!uiEnabled()) return undefined;
  const state = getState();
  const existing = state.uiSampler as Sampler | undefined;
  if (existing) return existing.history;
  const history = new MetricHistory(historyPoints(), historySeries());
  let busy = false;
  const tick = () => {
    if (busy) return; // a slow collection never piles up behind itself
    busy = true;
    collectAll()
      .then((rm) => history.sample(rm, Date.now()))
      .catch((err: unknown) => diag.debug(`@socketcomm/monitoring: metric history sample failed: ${(err as Error)?.message}`))
      .finally(() => (busy = false));
  };
  const timer = setInterval(tick, sampleMs());
  timer.unref();
  setImmediate(tick).unref();
  state.uiSampler = { history, timer } satisfies Sampler;
  onShutdown('end', () => clearInterval(timer));
  return history;
}

export function metricHistory(): MetricHistory | undefined {
  return (getState().uiSampler as Sampler | undefined)?.history;
}
