import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { diag } from '@opentelemetry/api';

// Instrumentations whose library the app may never load are created on the first require()
// of that library instead of at start-up: an app without Express, pg or Redis pays nothing for
// them. This works for CommonJS (the register bundle, where `require` exists): our wrapper of
// Module.prototype.require sits above require-in-the-middle's, so creating the instrumentation
// (which registers its module hooks) before passing the call on still patches that very load.
// ESM apps keep eager creation: the ESM hook must know every module before the graph links.

declare const require: ((id: string) => unknown) | undefined;

type Ctor = new () => Instrumentation;
const LAZY: Record<string, { modules: string[]; load: () => Ctor }> = {
  express: {
    modules: ['express'],
    load: () => (require!('@opentelemetry/instrumentation-express') as { ExpressInstrumentation: Ctor }).ExpressInstrumentation,
  },
  pg: { modules: ['pg'], load: () => (require!('@opentelemetry/instrumentation-pg') as { PgInstrumentation: Ctor }).PgInstrumentation },
  ioredis: {
    modules: ['ioredis'],
    load: () => (require!('@opentelemetry/instrumentation-ioredis') as { IORedisInstrumentation: Ctor }).IORedisInstrumentation,
  },
  redis: {
    modules: ['redis', '@redis/client'],
    load: () => (require!('@opentelemetry/instrumentation-redis') as { RedisInstrumentation: Ctor }).RedisInstrumentation,
  },
  pino: { modules: ['pino'], load: () => (require!('@opentelemetry/instrumentation-pino') as { PinoInstrumentation: Ctor }).PinoInstrumentation },
};

export const LAZY_NAMES = Object.keys(LAZY);

export interface Providers {
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
  loggerProvider?: LoggerProvider;
}

/** Can instrumentations be deferred in this process? */
export function canDefer(esmEntry: boolean): boolean {
  return !esmEntry && typeof require === 'function';
}

/** Defer the given instrumentations to the first require() of their library. */
export function deferInstrumentations(names: string[], providers: Providers): void {
  const byModule = new Map<string, string>();
  for (const n of names) for (const m of LAZY[n]?.modules ?? []) byModule.set(m, n);
  if (byModule.size === 0) return;
  const Module = require!('node:module') as { prototype: { require: (id: string) => unknown } };
  const proto = Module.prototype;
  const original = proto.require;
  const activate = (name: string) => {
    for (const [m, n] of byModule) if (n === name) byModule.delete(m);
    try {
      const inst = new (LAZY[name]!.load())();
      if (providers.tracerProvider) inst.setTracerProvider(providers.tracerProvider);
      if (providers.meterProvider) inst.setMeterProvider(providers.meterProvider);
      if (providers.loggerProvider) (inst as { setLoggerProvider?: (p: LoggerProvider) => void }).setLoggerProvider?.(providers.loggerProvider);
      if (!inst.getConfig().enabled) inst.enable();
    } catch (err) {
      diag.warn(`@socketcomm/monitoring: instrumentation "${name}" could not be loaded: ${(err as Error).message}`);
    }
  };
  const wrapper = function (this: unknown, id: string) {
    if (byModule.size > 0 && typeof id === 'string') {
      const name = byModule.get(id);
      if (name !== undefined) {
        activate(name);
        // A first instrumentation creates require-in-the-middle's hook above this wrapper:
        // then enter through it so this load is patched too.
        if (proto.require !== wrapper) return proto.require.apply(this, [id]);
      }
    }
    return original.apply(this, [id]);
  };
  proto.require = wrapper;
}
