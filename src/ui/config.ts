import { envBool } from '../sdk/env.js';

/** `MONITORING_UI=false` turns the status page, its routes and its buffers off. */
export function uiEnabled(): boolean {
  return envBool('MONITORING_UI', true);
}

function intEnv(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return def;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : def;
}

/** How often the metric history takes a sample (default 10 s). */
export const sampleMs = () => intEnv('MONITORING_UI_SAMPLE_MS', 10_000, 50, 3_600_000);
/** Samples kept per series (default 90: 15 minutes at 10 s). */
export const historyPoints = () => intEnv('MONITORING_UI_HISTORY_POINTS', 90, 2, 10_000);
/** Series kept in the history (default 500). */
export const historySeries = () => intEnv('MONITORING_UI_HISTORY_SERIES', 500, 0, 100_000);
