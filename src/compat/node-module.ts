import Module from 'node:module';

// node:module's loader internals, undocumented but stable since Node 0.x and what
// require-in-the-middle itself relies on: Module._load (every CommonJS load, `require()` and
// Node's ESM loader importing a CommonJS file alike: the latter passes the absolute filename and
// no parent), Module._cache (require.cache) and Module._resolveFilename.
// Contract: test/unit/compat/node-module.test.js.

export type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;

interface ModuleInternals {
  _load: LoadFn;
  _cache: Record<string, { exports?: unknown } | undefined>;
  _resolveFilename(request: string, parent: unknown): string;
}
const internals = Module as unknown as ModuleInternals;

/** Put `wrap(original)` in place of Module._load. */
export function wrapModuleLoad(wrap: (original: LoadFn) => LoadFn): void {
  internals._load = wrap(internals._load);
}

/** The files CommonJS has loaded (require.cache's keys). */
export function loadedFiles(): string[] {
  return Object.keys(internals._cache);
}

/** module.exports of a loaded file: what Node's ESM loader builds an imported CommonJS module's namespace from. */
export function cachedExports(file: string): unknown {
  return internals._cache[file]?.exports;
}

/** The file a require() of `request` from `parent` loads; throws like require.resolve. */
export function resolveFilename(request: string, parent: unknown): string {
  return internals._resolveFilename(request, parent);
}

/** A parent for require() calls made on behalf of Node's ESM loader (which passes none). */
export function orphanRequire(): (id: string) => unknown {
  const parent = new (Module as unknown as new (id: string) => { require(id: string): unknown })('[esm-import]');
  return (id) => parent.require(id);
}
