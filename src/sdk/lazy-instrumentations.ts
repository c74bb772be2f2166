import Module from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diag, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { InstrumentationBase, registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { addHook, Hook } from 'import-in-the-middle';
import { getState } from '../state.js';
import { INSTRUMENTATIONS, type InstrumentationEntry } from './instrumentation-table.js';
import type { InstrumentationStatus } from './instrumentation-status.js';
import { PACKAGE_NAME } from '../package-info.js';

declare const require: (id: string) => unknown;

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

type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;
const ModuleInternals = Module as unknown as {
  _load: LoadFn;
  _cache: Record<string, unknown>;
  _resolveFilename(r: string, p: unknown): string;
};

/** The package a path inside node_modules belongs to ("@scope/name" or "name"). */
function packageOf(file: string): { name: string; root: string } | undefined {
  const f = file.includes('\\') ? file.replace(/\\/g, '/') : file;
  const i = f.lastIndexOf('/node_modules/');
  if (i < 0) return undefined;
  const start = i + 14;
  let end = f.indexOf('/', start);
  if (f.charCodeAt(start) === 64 /* @ */ && end > 0) end = f.indexOf('/', end + 1);
  if (end < 0) return undefined;
  return { name: f.slice(start, end), root: f.slice(0, end) };
}

function versionAt(root: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CommonJS packages an ES module imported, loaded through require() so that the instrumentations
 * patch them as in a CommonJS app: their original exports → what require() returned (patched).
 * Node's ESM loader loads such a package with Module._load(file), which require-in-the-middle
 * does not see, and builds the namespace from the original exports; several instrumentations
 * cannot patch the namespace import-in-the-middle then offers them (mysql, memcached, connect).
 * Their hook is answered with the patched exports instead, which become the namespace's default.
 */
const patchedThroughRequire = new WeakMap<object, unknown>();
const isNamespace = (v: unknown): v is { default?: unknown } =>
  typeof v === 'object' && v !== null && (v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module';

/** An InstrumentationBase module definition, as its _onRequire receives it. */
type Definition = { name: string; moduleVersion?: string; moduleExports?: unknown; unpatch?: (e: unknown, v?: string) => void };

/**
 * After construction, around InstrumentationBase's _onRequire (every patch goes through it): a
 * patch that throws must not reach the app's require() or import. It is undone as far as the
 * instrumentation can, reported once by name, and the module is returned unpatched. Each
 * library version it patches is recorded for /status (`patched`).
 */
function guardPatches(name: string, inst: Instrumentation, patched: (library: string, version?: string) => void): void {
  type OnRequire = (module: Definition, exports: unknown, moduleName: string, baseDir?: string) => unknown;
  const target = inst as unknown as { _onRequire?: OnRequire };
  const onRequire = target._onRequire;
  if (typeof onRequire !== 'function') return;
  let warned = false;
  target._onRequire = function (this: unknown, module, exports, moduleName, baseDir) {
    // The ES module wrapper of a CommonJS package already patched through require() (see above).
    if (isNamespace(exports) && patchedThroughRequire.has(exports.default as object))
      return patchedThroughRequire.get(exports.default as object);
    try {
      const out = onRequire.call(this, module, exports, moduleName, baseDir);
      // It keeps the exports of a main module it patched (built-ins have no base directory).
      if (moduleName === module.name && module.moduleExports === exports)
        patched(module.name, baseDir ? module.moduleVersion : process.versions.node);
      return out;
    } catch (err) {
      try {
        module.unpatch?.(exports, module.moduleVersion);
      } catch {
        // Best effort: what was wrapped before the throw may stay wrapped.
      }
      if (!warned) {
        warned = true;
        const version = module.moduleVersion ? `@${module.moduleVersion}` : '';
        diag.warn(
          `${PACKAGE_NAME}: instrumentation "${name}" failed to patch ${moduleName}${version}, which runs unpatched: ` +
            ((err as Error)?.message ?? String(err)),
        );
      }
      return exports;
    }
  };
}

/** import-in-the-middle's list of hooks, to call those added while it walks it (see above). */
function iitmHooks(): unknown[] | undefined {
  try {
    const hooks = (require('import-in-the-middle/lib/register.js') as { importHooks?: unknown }).importHooks;
    return Array.isArray(hooks) ? hooks : undefined;
  } catch {
    return undefined;
  }
}
// Exists so require-in-the-middle's hook is in place before the first lazy activation when no
// eager instrumentation created it (constructing any InstrumentationBase does).
class HookAnchor extends InstrumentationBase {
  constructor() {
    super(`${PACKAGE_NAME}/hook-anchor`, '1', { enabled: false });
  }
  protected init(): [] {
    return [];
  }
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
      const inst = slot.entry.create!();
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
  if (eager.length === 0) new HookAnchor();

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
  for (const file of Object.keys(ModuleInternals._cache)) {
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
  const importer = new (Module as unknown as new (id: string) => { require(id: string): unknown })(
    path.join(process.cwd(), '[esm-import]'),
  );
  const originalLoad = ModuleInternals._load;
  ModuleInternals._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    // Node's ESM loader importing a CommonJS file: no parent module (see patchedThroughRequire).
    // Only with the ESM hook: without it, ES module imports stay unseen (MONITORING_ESM_HOOK=never).
    if (esm && parent == null && !isMain && typeof request === 'string' && path.isAbsolute(request)) {
      const pkg = packageOf(request);
      if (pkg && watched.has(pkg.name)) {
        const slot = pending.get(pkg.name);
        if (slot) activate(slot, { name: pkg.name, version: versionAt(pkg.root) });
        const exports = importer.require(request);
        const original = (ModuleInternals._cache[request] as { exports?: unknown } | undefined)?.exports;
        if ((typeof original === 'object' && original !== null) || typeof original === 'function')
          patchedThroughRequire.set(original, exports);
        return exports;
      }
    }
    if (pending.size > 0 && typeof request === 'string') {
      const hit = match(request, pending);
      if (hit)
        activate(hit.slot, { name: hit.module, version: hit.root ? versionAt(hit.root) : libraryVersion(hit.module, request, parent) });
    }
    // eslint-disable-next-line prefer-rest-params
    return originalLoad.apply(this, arguments as unknown as Parameters<LoadFn>);
  };

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
    const hooks = iitmHooks();
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
      for (const hook of hooks.slice(before)) (hook as (...a: unknown[]) => void)(url, namespace, specifier, format);
    });
  }
}

function versionOfUrl(url: string): string | undefined {
  try {
    const pkg = packageOf(new URL(url).pathname);
    return pkg && versionAt(pkg.root);
  } catch {
    return undefined;
  }
}

/** The version of the package a bare require() resolves to (once per activation). */
function libraryVersion(module: string, request: string, parent: unknown): string | undefined {
  if (Module.isBuiltin(request)) return undefined;
  try {
    const pkg = packageOf(ModuleInternals._resolveFilename(request, parent));
    return pkg?.name === module ? versionAt(pkg.root) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The table entry a module load belongs to: the request itself ("pg", "dns/promises"), a built-in
 * with its prefix, a bare subpath ("pg/lib/client"), or the absolute path Node's ESM loader
 * passes for a CommonJS package it imports. Relative requests come from inside packages already seen.
 */
function match(request: string, pending: Map<string, Slot>): { slot: Slot; module: string; root?: string } | undefined {
  const exact = pending.get(request);
  if (exact) return { slot: exact, module: request };
  const c = request.charCodeAt(0);
  if (c === 46 /* . */) return undefined;
  if (path.isAbsolute(request)) {
    const pkg = packageOf(request);
    const slot = pkg && pending.get(pkg.name);
    return slot ? { slot, module: pkg.name, root: pkg.root } : undefined;
  }
  if (request.startsWith('node:')) {
    const slot = pending.get(request.slice(5));
    return slot ? { slot, module: request.slice(5) } : undefined;
  }
  let slash = request.indexOf('/');
  if (c === 64 /* @ */ && slash > 0) slash = request.indexOf('/', slash + 1);
  if (slash < 0) return undefined;
  const name = request.slice(0, slash);
  const slot = pending.get(name);
  return slot ? { slot, module: name } : undefined;
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
