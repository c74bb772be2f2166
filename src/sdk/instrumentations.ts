import type { Instrumentation } from '@opentelemetry/instrumentation';
import { diag } from '@opentelemetry/api';
import { envList } from './env.js';
import { SENSITIVE_QUERY_PARAMS, redactFetchUrl } from './redaction.js';

// The instrumentations register enables, named as in @opentelemetry/auto-instrumentations-node
// (package name without the "@opentelemetry/instrumentation-" prefix) so that
// OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS carry over.
const FACTORIES: Record<string, () => Promise<Instrumentation>> = {
  http: async () => {
    const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
    return new HttpInstrumentation({
      // The monitoring server's own routes would otherwise flood traces with probe requests.
      ignoreIncomingRequestHook: (req) => (req.socket as { __monitoring?: boolean } | null)?.__monitoring === true,
      // ?password=… / ?api_key=… in a request URL must not reach url.query / url.full.
      redactedQueryParams: SENSITIVE_QUERY_PARAMS,
      redactedQueryParamsServer: SENSITIVE_QUERY_PARAMS,
    });
  },
  undici: async () =>
    new (await import('@opentelemetry/instrumentation-undici')).UndiciInstrumentation({
      // fetch's url.full / url.query: the same names redacted as for node:http above.
      startSpanHook: redactFetchUrl,
    }),
  express: async () => new (await import('@opentelemetry/instrumentation-express')).ExpressInstrumentation(),
  fastify: async () => {
    const { LazyFastifyInstrumentation, canLoadLazily } = await import('./fastify-lazy.js');
    if (canLoadLazily()) return new LazyFastifyInstrumentation() as unknown as Instrumentation;
    const { FastifyOtelInstrumentation } = await import('@fastify/otel');
    return new FastifyOtelInstrumentation({ registerOnInitialization: true }) as unknown as Instrumentation;
  },
  pg: async () => new (await import('@opentelemetry/instrumentation-pg')).PgInstrumentation(),
  ioredis: async () => new (await import('@opentelemetry/instrumentation-ioredis')).IORedisInstrumentation(),
  redis: async () => new (await import('@opentelemetry/instrumentation-redis')).RedisInstrumentation(),
  pino: async () => new (await import('@opentelemetry/instrumentation-pino')).PinoInstrumentation(),
  'runtime-node': async () =>
    new (await import('@opentelemetry/instrumentation-runtime-node')).RuntimeNodeInstrumentation({
      monitoringPrecision: 10,
    }),
};

export const INSTRUMENTATION_NAMES = Object.keys(FACTORIES);

/** Names enabled by the environment: all by default, ENABLED narrows, DISABLED wins. */
export function enabledInstrumentations(): string[] {
  const enabled = envList('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = new Set(envList('OTEL_NODE_DISABLED_INSTRUMENTATIONS') ?? []);
  const strip = (n: string) => n.replace(/^@opentelemetry\/instrumentation-/, '');
  const names = enabled ? enabled.map(strip) : INSTRUMENTATION_NAMES;
  for (const n of names) {
    if (!FACTORIES[n]) diag.warn(`@socketcomm/monitoring: unknown instrumentation "${n}" in OTEL_NODE_ENABLED_INSTRUMENTATIONS; ignored`);
  }
  return names.filter((n) => FACTORIES[n] && !disabled.has(n) && !disabled.has(`@opentelemetry/instrumentation-${n}`));
}

export async function createInstrumentations(names: string[] = enabledInstrumentations()): Promise<Instrumentation[]> {
  const out: Instrumentation[] = [];
  for (const n of names) {
    try {
      out.push(await FACTORIES[n]!());
    } catch (err) {
      diag.warn(`@socketcomm/monitoring: instrumentation "${n}" could not be loaded: ${(err as Error).message}`);
    }
  }
  return out;
}
