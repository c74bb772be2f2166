import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

// @fastify/otel is CommonJS and pulls all of @opentelemetry/semantic-conventions and minimatch
// into start-up, a third of the bundle. Fastify announces each new instance on the
// `fastify.initialization` diagnostics channel — the hook @fastify/otel itself uses — so we
// listen there and load @fastify/otel only when an app really creates a Fastify instance.

declare const require: ((id: string) => unknown) | undefined;

interface FastifyOtel {
  setTracerProvider(p: TracerProvider): void;
  setMeterProvider(p: MeterProvider): void;
  enable(): void;
  plugin(): (instance: unknown, opts: unknown, done: () => void) => void;
}
interface InitMessage {
  fastify: { register(plugin: unknown): void };
}

export class LazyFastifyInstrumentation implements Pick<Instrumentation, 'instrumentationName' | 'instrumentationVersion'> {
  readonly instrumentationName = '@fastify/otel';
  readonly instrumentationVersion = 'lazy';
  private tracerProvider: TracerProvider | undefined;
  private meterProvider: MeterProvider | undefined;
  private real: FastifyOtel | undefined;
  private readonly onInit = (message: unknown) => this.attach(message as InitMessage);
  private enabled = false;

  constructor() {
    // Like every OTel instrumentation, enabled on construction (registerInstrumentations only
    // enables those whose config says they are not).
    this.enable();
  }

  setTracerProvider(p: TracerProvider): void {
    this.tracerProvider = p;
  }
  setMeterProvider(p: MeterProvider): void {
    this.meterProvider = p;
  }
  setLoggerProvider(): void {}
  setConfig(_c: InstrumentationConfig): void {}
  getConfig(): InstrumentationConfig {
    return { enabled: this.enabled };
  }
  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    subscribe('fastify.initialization', this.onInit);
  }
  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    unsubscribe('fastify.initialization', this.onInit);
  }

  private attach(message: InitMessage): void {
    try {
      if (!this.real) {
        const mod = require!('@fastify/otel') as { FastifyOtelInstrumentation: new (c: object) => FastifyOtel };
        this.real = new mod.FastifyOtelInstrumentation({ registerOnInitialization: false });
        if (this.tracerProvider) this.real.setTracerProvider(this.tracerProvider);
        if (this.meterProvider) this.real.setMeterProvider(this.meterProvider);
        this.real.enable();
      }
      // As @fastify/otel does on initialization: apply the plugin directly (register() is lazy),
      // and register an empty plugin with its name so app.hasPlugin('@fastify/otel') holds.
      this.real.plugin()(message.fastify, undefined, () => {});
      const named = (_: unknown, __: unknown, done: () => void) => done();
      (named as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
      (named as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = '@fastify/otel';
      message.fastify.register(named);
    } catch {
      // Instrumentation must never break the app's Fastify start.
    }
  }
}

/** True when this code runs as CommonJS (the register bundle), where the lazy path works. */
export function canLoadLazily(): boolean {
  return typeof require === 'function';
}
