import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { diag, type TextMapPropagator } from '@opentelemetry/api';
import { getConfig } from '../config/index.js';
import { PACKAGE_NAME } from '../package-info.js';

// OTEL_PROPAGATORS under the names of the OTel specification and upstream's SDK. The W3C ones
// come with @opentelemetry/core; the others are packages of their own, loaded only when named
// (each its own bundle, see scripts/postbuild.mjs).
declare const require: (id: string) => unknown;
type Ctor = new (config?: object) => TextMapPropagator;
const make = (mod: unknown, className: string, config?: object): TextMapPropagator => {
  const C = (mod as Record<string, Ctor | undefined>)[className];
  if (typeof C !== 'function') throw new Error(`the package exports no ${className}`);
  return new C(config);
};
/** B3InjectEncoding of @opentelemetry/propagator-b3. */
const B3_SINGLE_HEADER = 0;
const B3_MULTI_HEADER = 1;

const PROPAGATORS: Record<string, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => make(require('@opentelemetry/propagator-b3'), 'B3Propagator', { injectEncoding: B3_SINGLE_HEADER }),
  b3multi: () => make(require('@opentelemetry/propagator-b3'), 'B3Propagator', { injectEncoding: B3_MULTI_HEADER }),
  jaeger: () => make(require('@opentelemetry/propagator-jaeger'), 'JaegerPropagator'),
  xray: () => make(require('@opentelemetry/propagator-aws-xray'), 'AWSXRayPropagator'),
  ottrace: () => make(require('@opentelemetry/propagator-ot-trace'), 'OTTracePropagator'),
};
export const PROPAGATOR_NAMES: readonly string[] = [...Object.keys(PROPAGATORS), 'none'];

/**
 * The propagator the configuration names (OTEL_PROPAGATORS, default tracecontext,baggage; `none`: none at all).
 * Unknown names: one warning listing the valid ones; the named ones still work.
 */
export function configuredPropagator(): TextMapPropagator {
  const { propagators: names, propagatorsWhere } = getConfig();
  const unknown = names.filter((n) => !PROPAGATOR_NAMES.includes(n));
  if (unknown.length > 0) {
    diag.warn(
      `${PACKAGE_NAME}: unknown propagator${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} in ${propagatorsWhere}, ` +
        `ignored; valid names: ${PROPAGATOR_NAMES.join(', ')}`,
    );
  }
  if (names.includes('none')) return new CompositePropagator({ propagators: [] });
  const propagators: TextMapPropagator[] = [];
  for (const n of names) {
    const create = PROPAGATORS[n];
    if (!create) continue;
    try {
      propagators.push(create());
    } catch (err) {
      diag.warn(`${PACKAGE_NAME}: propagator "${n}" could not be loaded: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  return new CompositePropagator({ propagators });
}
