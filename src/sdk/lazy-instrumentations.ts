import Module from 'node:module';
import path from 'node:path';
import { diag, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { addHook, Hook } from 'import-in-the-middle';
import { getState } from '../state.js';
import { INSTRUMENTATIONS, type InstrumentationEntry } from './instrumentation-table.js';
import type { InstrumentationStatus } from './instrumentation-status.js';
import { match, packageOf, versionAt, versionOfUrl } from './module-names.js';
import { guardPatches, rememberPatched } from './patch-guard.js';
import { cachedExports, loadedFiles, orphanRequire, resolveFilename, wrapModuleLoad, type LoadFn } from '../compat/node-module.js';
import { importHooks } from '../compat/import-in-the-middle.js';
import { ensureRequireHook } from '../compat/instrumentation-base.js';
import { PACKAGE_NAME } from '../package-info.js';
import { getConfig } from '../config/index.js';
import { withoutOtelEnv } from '../config/env.js';

const PREFIX = '@opentelemetry/instrumentation-';
/** Options the configuration gives an instrumentation, under its name or its package's. */
function configuredOptions(name: string): Readonly<Record<string, unknown>> | undefined {
  const all = getConfig().instrumentations.options;
  return all[name] ?? all[PREFIX + name];
}

// An instrumentation costs start-up time and memory to load and construct, and require-in-the-
// middle work on every later require() once it hooks a module. So none is loaded until the app
// loads a module it patches: register watches module loads through two narrow hooks and, on the
// first load of a module in the table, constructs that one instrumentation, which then patches
// this very load. No library hook does this (upstream constructs every instrumentation at start).
//
// - CommonJS (`require`, and CommonJS packages imported from ES modules): Module._load. It runs
//   under require-in-the-middle's Module.prototype.require wrapper, which consults its hooks
//   only after the load returns, and before the module's own require()s of its internal files.
// - ES modules (the ESM hook is registered for ESM entry points): import-in-the-middle calls its
//   hooks once a module it wraps has evaluated, and the loader wraps only the module names sent
//   to it, here the table's. A hook added during that call misses the module (its list is being
//   walked), so the instrumentation's new hooks are called for it here.

export interface Providers {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  loggerProvider: LoggerProvider;
}

interface Slot {
  name: string;
  entry: InstrumentationEntry;
  instance?: Instrumentation;
  error?: string;
  /** The module whose load activated it, and its package version. */
  trigger?: { name: string; version?: string };
  /** Each library version patched ("name@version" → both). */
  libraries: Map<string, { name: string; version?: string }>;
  tooEarly: string[];
}

/**
 * Construct the eager instrumentations and arm the lazy ones. `esm`: the ESM hook is registered
 * (import-in-the-middle with its message channel), so ES module imports are watched too.
 */
export function startInstrumentations(enabled: readonly string[], providers: Providers, esm: boolean): void {
  const slots = new Map<string, Slot>();
  const pending = new Map<string, Slot>();
  const eager: Instrumentation[] = [];
  const warnedFailure = new Set<string>();

  const construct = (slot: Slot): Instrumentation | undefined => {
    try {
      // With a configuration file the OTEL_* environment is ignored; instrumentations read theirs
      // (OTEL_SEMCONV_STABILITY_OPT_IN, OpenAI's content capture) in their constructors.
      const inst = withoutOtelEnv(getConfig().source.kind === 'file', () => slot.entry.create!());
      // The configuration file's options for it (instrumentation/development.js.<name>) over ours.
      const options = configuredOptions(slot.name);
      if (options) inst.setConfig({ ...inst.getConfig(), ...options });
      guardPatches(slot.name, inst, (library, version) => slot.libraries.set(`${library}@${version}`, { name: library, version }));
      return inst;
    } catch (err) {
      slot.error = (err as Error)?.message ?? String(err);
      if (!warnedFailure.has(slot.name)) {
        warnedFailure.add(slot.name);
        diag.warn(`${PACKAGE_NAME}: instrumentation "${slot.name}" could not be loaded, its library runs unpatched: ${slot.error}`);
      }
      return undefined;
    }
  };

  for (const name of enabled) {
    const entry = INSTRUMENTATIONS[name];
    if (!entry?.create) continue;
    const slot: Slot = { name, entry, tooEarly: [], libraries: new Map() };
    slots.set(name, slot);
    const eagerNow = typeof entry.eager === 'function' ? entry.eager() : entry.eager === true;
    if (eagerNow) {
      const inst = construct(slot);
      if (inst) {
        slot.instance = inst;
        eager.push(inst);
      }
    } else {
      for (const m of entry.modules) pending.set(m, slot);
    }
  }
  registerInstrumentations({ instrumentations: eager, ...providers });
  getState().sdk.instrumentations = () => report(slots, enabled);
  if (pending.size === 0) return;
  // Without an eager instrumentation, require-in-the-middle's hook must exist before the first activation.
  if (eager.length === 0) ensureRequireHook(`${PACKAGE_NAME}/hook-anchor`);

  const activate = (slot: Slot, trigger?: { name: string; version?: string }) => {
    for (const m of slot.entry.modules) pending.delete(m);
    slot.trigger = trigger;
    const inst = construct(slot);
    if (!inst) return;
    inst.setTracerProvider(providers.tracerProvider);
    inst.setMeterProvider(providers.meterProvider);
    (inst as { setLoggerProvider?: (p: LoggerProvider) => void }).setLoggerProvider?.(providers.loggerProvider);
    inst.enable();
    slot.instance = inst;
  };

  // Libraries loaded before register ran (--require, a preloader): said once per instrumentation.
  // Their next require() still goes through the hooks, so what patches in place may yet work.
  for (const file of loadedFiles()) {
    const pkg = packageOf(file);
    const slot = pkg && pending.get(pkg.name);
    if (slot && !slot.tooEarly.includes(pkg.name)) slot.tooEarly.push(pkg.name);
  }
  for (const slot of slots.values()) {
    if (slot.tooEarly.length === 0) continue;
    const [one, many] = slot.tooEarly.length === 1 ? ['was', 'it'] : ['were', 'them'];
    diag.warn(
      `${PACKAGE_NAME}: ${slot.tooEarly.join(', ')} ${one} loaded before register ran, ` +
        `so instrumentation "${slot.name}" cannot patch ${many}; ` +
        `start the app with node --import ${PACKAGE_NAME}/register`,
    );
  }

  const watched = new Set(pending.keys());
  const requireForEsm = orphanRequire();
  wrapModuleLoad(
    (originalLoad: LoadFn) =>
      function (this: unknown, request: string, parent: unknown, isMain: boolean) {
        // Node's ESM loader importing a CommonJS file: no parent module (see src/sdk/patch-guard.ts).
        // Only with the ESM hook: without it, ES module imports stay unseen (MONITORING_ESM_HOOK=never).
        if (esm && parent == null && !isMain && typeof request === 'string' && path.isAbsolute(request)) {
          const pkg = packageOf(request);
          if (pkg && watched.has(pkg.name)) {
            const slot = pending.get(pkg.name);
            if (slot) activate(slot, { name: pkg.name, version: versionAt(pkg.root) });
            const exports = requireForEsm(request);
            rememberPatched(cachedExports(request), exports);
            return exports;
          }
        }
        if (pending.size > 0 && typeof request === 'string') {
          const hit = match(request, pending);
          if (hit) {
            const version = hit.root ? versionAt(hit.root) : libraryVersion(hit.module, request, parent);
            activate(hit.entry, { name: hit.module, version });
          }
        }
        // eslint-disable-next-line prefer-rest-params
        return originalLoad.apply(this, arguments as unknown as Parameters<LoadFn>);
      },
  );

  // process.getBuiltinModule() reaches built-ins without Module._load (require-in-the-middle hooks it too).
  const proc = process as { getBuiltinModule?: (id: string) => unknown };
  const originalGet = proc.getBuiltinModule;
  if (typeof originalGet === 'function') {
    proc.getBuiltinModule = function (this: unknown, id: string) {
      if (pending.size > 0 && typeof id === 'string') {
        const name = id.startsWith('node:') ? id.slice(5) : id;
        const slot = pending.get(name);
        if (slot) activate(slot, { name });
      }
      return originalGet.call(this, id);
    };
  }

  if (esm) {
    // Sends the module names to the loader (message channel); the hook itself does nothing.
    new Hook([...pending.keys()], () => undefined);
    const hooks = importHooks();
    addHook((url, namespace, specifier, format) => {
      if (pending.size === 0 || specifier === undefined) return;
      const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
      const slot = pending.get(name);
      if (!slot) return;
      const before = hooks?.length ?? 0;
      activate(slot, { name, version: url.startsWith('file:') ? versionOfUrl(url) : undefined });
      if (!hooks) {
        diag.warn(`${PACKAGE_NAME}: ${name} was imported before its instrumentation could hook it; patched from its next import`);
        return;
      }
      for (const hook of hooks.slice(before)) hook(url, namespace, specifier, format);
    });
  }
}

/** The version of the package a bare require() resolves to (once per activation). */
function libraryVersion(module: string, request: string, parent: unknown): string | undefined {
  if (Module.isBuiltin(request)) return undefined;
  try {
    const pkg = packageOf(resolveFilename(request, parent));
    return pkg?.name === module ? versionAt(pkg.root) : undefined;
  } catch {
    return undefined;
  }
}

function report(slots: Map<string, Slot>, enabled: readonly string[]): InstrumentationStatus[] {
  const out: InstrumentationStatus[] = [];
  for (const [name, entry] of Object.entries(INSTRUMENTATIONS)) {
    const slot = slots.get(name);
    const on = enabled.includes(name);
    // An entry without `create` runs elsewhere (host-metrics: the system metrics), when enabled.
    const status: InstrumentationStatus = {
      name,
      enabled: on,
      active: slot?.instance !== undefined || (on && !entry.create),
      libraries: [],
    };
    if (slot?.instance) {
      status.libraries.push(...[...slot.libraries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
      // @fastify/otel patches no module: the library whose load activated it.
      if (status.libraries.length === 0 && slot.trigger) {
        const builtin = Module.isBuiltin(slot.trigger.name);
        status.libraries.push({ name: slot.trigger.name, version: builtin ? process.versions.node : slot.trigger.version });
      }
    }
    if (slot && slot.tooEarly.length > 0) status.loadedTooEarly = [...slot.tooEarly];
    if (slot?.error) status.error = slot.error;
    if (entry.note) status.note = entry.note;
    out.push(status);
  }
  return out;
}
