import { diag } from '@opentelemetry/api';
import { envList } from './env.js';
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

/** The names OTEL_NODE_DISABLED_INSTRUMENTATIONS lists (prefix stripped). */
export function disabledByEnv(): Set<string> {
  return new Set((envList('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? []).map(strip));
}

/**
 * Names enabled by the environment, as @opentelemetry/auto-instrumentations-node decides:
 * every name but the default-off ones; OTEL_NODE_ENABLED_INSTRUMENTATIONS narrows the set (and
 * can name a default-off one); OTEL_NODE_DISABLED_INSTRUMENTATIONS wins over both.
 */
export function enabledInstrumentations(): string[] {
  const listed = envList('OTEL_NODE_ENABLED_INSTRUMENTATIONS')?.map(strip);
  const disabled = disabledByEnv();
  if (listed) warnUnknown('OTEL_NODE_ENABLED_INSTRUMENTATIONS', listed);
  warnUnknown('OTEL_NODE_DISABLED_INSTRUMENTATIONS', [...disabled]);
  const names = listed
    ? INSTRUMENTATION_NAMES.filter((n) => listed.includes(n))
    : INSTRUMENTATION_NAMES.filter((n) => !INSTRUMENTATIONS[n]!.off);
  return names.filter((n) => !disabled.has(n));
}
