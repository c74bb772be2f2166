import { maskUrlCredentials, REDACTED } from '../util/redact.js';
import type { ResolvedConfig } from './types.js';

// The effective configuration as /status, the status page and `socketcomm-monitoring config
// print` show it: every resolved setting, where each part came from, and no credential.
// Exporter headers carry API keys and bearer tokens, whatever their names, so every header
// value is hidden (the names stay: they tell which header is set); the monitoring server's
// token is hidden; any string holding a URL with a password (an endpoint, an instrumentation
// option, a DSN) has the password masked (src/util/redact.ts).

/** One part of the configuration and where it came from. */
export interface EffectivePart {
  readonly origin: string;
  readonly value: unknown;
}

export interface EffectiveConfig {
  /** `file` (with its path) or `environment`. */
  readonly source: string;
  readonly file?: string;
  /** The one error of an unusable file (monitoring is then off but for the health routes). */
  readonly invalid?: string;
  readonly parts: Readonly<Record<string, EffectivePart>>;
  readonly warnings: readonly string[];
}

/** Keys whose values are credentials wherever they appear. */
const SECRET_KEYS = new Set(['authToken', 'headers', 'password', 'token', 'apiKey', 'api_key', 'secret']);

function redact(value: unknown, key = ''): unknown {
  if (SECRET_KEYS.has(key) && value !== undefined && value !== null) {
    if (typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
    }
    return REDACTED;
  }
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

/** `config` as it is shown: its parts with their origins, credentials hidden. */
export function effectiveConfig(config: ResolvedConfig): EffectiveConfig {
  const o = config.origins;
  const part = (origin: string | undefined, value: unknown): EffectivePart => ({
    origin: origin ?? 'default',
    value: redact(value),
  });
  return {
    source: config.source.kind,
    ...(config.source.kind === 'file' ? { file: config.source.path } : {}),
    ...(config.invalid ? { invalid: config.invalid.message } : {}),
    parts: {
      sdk: part(o.sdk, { disabled: config.sdkDisabled, diagLevel: config.diagLevel }),
      resource: part(o.resource, config.resource),
      propagator: part(o.propagator, config.propagators),
      tracer_provider: part(o.tracer_provider, config.traces),
      meter_provider: part(o.meter_provider, config.metrics),
      logger_provider: part(o.logger_provider, config.logs),
      instrumentation: part(o.instrumentation, config.instrumentations),
      monitoring: part(o.monitoring, config.monitoring),
    },
    warnings: config.warnings.map((w) => maskUrlCredentials(w)),
  };
}
