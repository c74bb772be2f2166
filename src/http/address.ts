import { warnOnce } from '../util/report.js';
import { envString } from '../sdk/env.js';

export const DEFAULT_PORT = 9464;

/**
 * The monitoring server's host from the environment: MONITORING_HOST, else
 * OTEL_EXPORTER_PROMETHEUS_HOST, else all interfaces. Empty means unset, as for every variable.
 */
export function envHost(): string {
  return envString('MONITORING_HOST') ?? envString('OTEL_EXPORTER_PROMETHEUS_HOST') ?? '0.0.0.0';
}

/**
 * The monitoring server's port from the environment: MONITORING_PORT, else
 * OTEL_EXPORTER_PROMETHEUS_PORT, else 9464; 0 picks a free port. The cluster names its group
 * by it too, so the server and the election agree on which port is meant.
 */
export function envPort(): number {
  for (const name of ['MONITORING_PORT', 'OTEL_EXPORTER_PROMETHEUS_PORT']) {
    const v = process.env[name]?.trim();
    if (v) {
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0 && n < 65536) return n;
      warnOnce(`${name}=${JSON.stringify(v)} is not a port number; using ${DEFAULT_PORT}`);
    }
  }
  return DEFAULT_PORT;
}
