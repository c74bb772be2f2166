import { getConfig } from '../config/index.js';
import { onShutdown } from '../shutdown.js';
import { defaultHealthChecker } from './health-checker.js';
import { defaultReadinessChecker } from './readiness-checker.js';

/**
 * What register does: run the default health and readiness checks in the background every
 * MONITORING_HEALTH_INTERVAL_MS (default 10000; 0 turns it off), so probes answer from the
 * latest results in O(1) instead of running checks per request. Timers are unref'd.
 */
export function startDefaultBackgroundChecks(): void {
  const intervalMs = getConfig().monitoring.healthIntervalMs;
  if (!(intervalMs > 0)) return;
  const health = defaultHealthChecker();
  const readiness = defaultReadinessChecker();
  health.startBackgroundChecks({ intervalMs: Math.max(intervalMs, 100) });
  readiness.startBackgroundChecks({ intervalMs: Math.max(intervalMs, 100) });
  onShutdown('end', () => {
    health.stopBackgroundChecks();
    readiness.stopBackgroundChecks();
  });
}
