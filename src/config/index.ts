import { getState } from '../state.js';
import { PACKAGE_NAME } from '../package-info.js';
import { envString, type Env } from './env.js';
import { resolveFromEnv, runtimeFromEnv } from './from-env.js';
import type { ResolvedConfig } from './types.js';
import { lazyModule } from './require.js';

// The configuration, resolved once per process (the ESM and CJS copies share it through the
// process state): from the file OTEL_CONFIG_FILE names, otherwise from the environment. Nothing
// else in src/ reads process.env. The file's modules (yaml, the schema validator) are loaded
// only when a file is named.

export type { ResolvedConfig } from './types.js';

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** What the configuration would be with the file `file` unusable: monitoring off but for the health routes. */
function invalidConfig(file: string, message: string, env: Env): ResolvedConfig {
  const fromEnv = resolveFromEnv(onlyMonitoring(env));
  return {
    ...fromEnv,
    source: { kind: 'file', path: file },
    invalid: { file, message },
    sdkDisabled: true,
    monitoring: { ...fromEnv.monitoring, ui: { ...fromEnv.monitoring.ui, enabled: false }, profiling: false, systemMetrics: false },
    // Not configuration: which process this is (PM2's id, the Lambda runtime) still holds.
    runtime: runtimeFromEnv(env),
  };
}

function onlyMonitoring(env: Env): Env {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('MONITORING_')) out[k] = v;
  return out;
}

/**
 * Resolve the configuration from `env` (the file it names, or itself). Never throws: an
 * unusable file gives a configuration with `invalid` set.
 */
export function resolveConfig(env: Env = process.env): ResolvedConfig {
  const file = envString('OTEL_CONFIG_FILE', env);
  if (file === undefined) return deepFreeze(resolveFromEnv(env));
  // Loaded here only: a process without a configuration file never loads yaml or the validator.
  const { loadFromFile } = lazyModule<typeof import('./load-file.js')>('config-file.cjs', 'config/load-file.js');
  try {
    return deepFreeze(loadFromFile(file, env));
  } catch (err) {
    const e = err as Error;
    const message = e.name === 'ConfigFileError' ? e.message : `${file}: ${e.message}`;
    return deepFreeze(invalidConfig(file, message, env));
  }
}

/** The process's configuration, resolved on first use (an unusable file and the warnings printed then, once). */
export function getConfig(): ResolvedConfig {
  const state = getState();
  if (state.config) return state.config;
  const config = (state.config = resolveConfig());
  report(config);
  return config;
}

/** The one error of an unusable file and each warning, on stderr (diag is not set up yet). */
function report(config: ResolvedConfig): void {
  if (config.invalid) {
    process.stderr.write(
      `${PACKAGE_NAME}: invalid configuration file ${config.invalid.message}\n` +
        (isStrict() ? '' : `${PACKAGE_NAME}: monitoring is off except the health routes; the app runs on\n`),
    );
  }
  for (const w of config.warnings) process.stderr.write(`${PACKAGE_NAME}: warning: ${w}\n`);
}

/** MONITORING_STRICT=1: invalid arguments throw, an invalid configuration file stops the process. */
export function isStrict(env: Env = process.env): boolean {
  // Read each time rather than resolved once: tests and a debugger turn it on and off at run time.
  const v = env.MONITORING_STRICT;
  return v === '1' || v === 'true';
}

/**
 * At register's start: resolve the configuration, print the one error of an unusable file (and
 * exit with 1 under MONITORING_STRICT=1, before the app's code runs) and the warnings.
 */
export function loadConfigAtStart(): ResolvedConfig {
  const config = getConfig();
  if (config.invalid && isStrict()) {
    process.stderr.write(`${PACKAGE_NAME}: MONITORING_STRICT=1: exiting before the app starts\n`);
    process.exit(1);
  }
  return config;
}
