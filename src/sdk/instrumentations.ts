import { diag } from '@opentelemetry/api';
import { getConfig } from '../config/index.js';
import { INSTRUMENTATIONS, INSTRUMENTATION_NAMES } from './instrumentation-table.js';
import { PACKAGE_NAME } from '../package-info.js';

const PREFIX = '@opentelemetry/instrumentation-';
const strip = (n: string) => (n.startsWith(PREFIX) ? n.slice(PREFIX.length) : n);

/** Warn once for the names of `list` that no instrumentation has, listing the valid ones. */
function warnUnknown(variable: string, names: string[]): void {
  const unknown = names.filter((n) => INSTRUMENTATIONS[n] === undefined);
  if (unknown.length === 0) return;
  diag.warn(
    `${PACKAGE_NAME}: unknown instrumentation name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} ` +
      `in ${variable}, ignored; valid names: ${INSTRUMENTATION_NAMES.join(', ')}`,
  );
}

/** The names the configuration disables (OTEL_NODE_DISABLED_INSTRUMENTATIONS; prefix stripped). */
export function disabledByEnv(): Set<string> {
  return new Set(getConfig().instrumentations.disabled.map(strip));
}

/**
 * Names enabled by the environment, as @opentelemetry/auto-instrumentations-node decides:
 * every name but the default-off ones; OTEL_NODE_ENABLED_INSTRUMENTATIONS narrows the set (and
 * can name a default-off one); OTEL_NODE_DISABLED_INSTRUMENTATIONS wins over both.
 */
export function enabledInstrumentations(): string[] {
  const config = getConfig().instrumentations;
  const listed = config.enabled?.map(strip);
  const also = config.alsoEnabled?.map(strip) ?? [];
  const disabled = disabledByEnv();
  if (listed) warnUnknown(config.enabledWhere, listed);
  warnUnknown(config.enabledWhere, also);
  warnUnknown(config.disabledWhere, [...disabled]);
  const names = listed
    ? INSTRUMENTATION_NAMES.filter((n) => listed.includes(n))
    : INSTRUMENTATION_NAMES.filter((n) => !INSTRUMENTATIONS[n]!.off || also.includes(n));
  return names.filter((n) => !disabled.has(n));
}
