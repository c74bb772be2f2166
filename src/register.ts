import { diag } from '@opentelemetry/api';
import { getState } from './state.js';
import { loadConfigAtStart } from './config/index.js';
import { startSdk } from './sdk/start.js';
import { HealthEndpoints } from './http/server.js';
import { installExitFlush, installShutdown } from './shutdown.js';
import { startDefaultBackgroundChecks } from './health/background.js';
import { startCluster } from './cluster/index.js';
import { PACKAGE_NAME } from './package-info.js';

/**
 * What `node --import @socketcomm/monitoring/register` does once the ESM hook is in place:
 * the OTel SDK from the environment, the instrumentations, and the monitoring server.
 */
export interface StartOptions {
  /** The register file registered the ESM hook (the entry point is ESM). */
  esmHook?: boolean;
}

export async function start(options: StartOptions = {}): Promise<void> {
  const state = getState();
  if (state.sdk.registered) return;
  state.sdk.registered = true;
  state.sdk.esmEntry = options.esmHook === true;
  // An unusable configuration file is reported here, once, before anything starts (and under
  // MONITORING_STRICT=1 ends the process before the app's code runs).
  const config = loadConfigAtStart();
  try {
    if (!config.sdkDisabled) {
      await startSdk({ mode: 'register' });
    }
    if (config.monitoring.server) {
      // Under node:cluster / PM2 only one process serves the port; the others report to it.
      await startCluster(async () => {
        const endpoints = new HealthEndpoints();
        state.server.endpoints = endpoints;
        await endpoints.start();
      });
      startDefaultBackgroundChecks();
    }
    installShutdown();
    installExitFlush();
  } catch (err) {
    // Monitoring must never stop the app from starting.
    diag.error(`${PACKAGE_NAME}: register failed, the app runs without monitoring: ${(err as Error).message}`);
  }
}

export { OTEL_SHARED } from './sdk/otel-shared.js';
