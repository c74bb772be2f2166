import { getConfig } from '../config/index.js';

/** `MONITORING_UI=false` turns the status page, its routes and its buffers off. */
export function uiEnabled(): boolean {
  return getConfig().monitoring.ui.enabled;
}

/** How often the metric history takes a sample (default 10 s). */
export const sampleMs = () => getConfig().monitoring.ui.sampleMs;
/** Samples kept per series (default 90: 15 minutes at 10 s). */
export const historyPoints = () => getConfig().monitoring.ui.historyPoints;
/** Series kept in the history (default 500). */
export const historySeries = () => getConfig().monitoring.ui.historySeries;
