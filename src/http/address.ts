import { warnOnce } from '../util/report.js';
import { getConfig } from '../config/index.js';
import { DEFAULT_PORT } from '../config/from-env.js';

export { DEFAULT_PORT };

/**
 * The monitoring server's host: MONITORING_HOST, else OTEL_EXPORTER_PROMETHEUS_HOST, else all
 * interfaces (with a configuration file: its setting, else MONITORING_HOST).
 */
export function envHost(): string {
  return getConfig().monitoring.host;
}

/**
 * The monitoring server's port: MONITORING_PORT, else OTEL_EXPORTER_PROMETHEUS_PORT, else 9464;
 * 0 picks a free port. The cluster names its group by it too, so the server and the election
 * agree on which port is meant.
 */
export function envPort(): number {
  const { port, portProblem } = getConfig().monitoring;
  if (portProblem !== undefined) warnOnce(portProblem);
  return port;
}
