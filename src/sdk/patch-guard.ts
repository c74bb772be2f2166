import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { wrapOnRequire } from '../compat/instrumentation-base.js';
import { PACKAGE_NAME } from '../package-info.js';

/**
 * CommonJS packages an ES module imported, loaded through require() so that the instrumentations
 * patch them as in a CommonJS app: their original exports → what require() returned (patched).
 * Node's ESM loader loads such a package with Module._load(file), which require-in-the-middle
 * does not see, and builds the namespace from the original exports; several instrumentations
 * cannot patch the namespace import-in-the-middle then offers them (mysql, memcached, connect).
 * Their hook is answered with the patched exports instead, which become the namespace's default.
 */
const patchedThroughRequire = new WeakMap<object, unknown>();

export function rememberPatched(original: unknown, patched: unknown): void {
  if ((typeof original === 'object' && original !== null) || typeof original === 'function') patchedThroughRequire.set(original, patched);
}

const isNamespace = (v: unknown): v is { default?: unknown } =>
  typeof v === 'object' && v !== null && (v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module';

/**
 * After construction, around every patch the instrumentation applies: one that throws must not
 * reach the app's require() or import. It is undone as far as the instrumentation can, reported
 * once by name, and the module is returned unpatched. Each library version it patches is passed
 * to `patched` (for /status); built-ins carry Node's version.
 */
export function guardPatches(name: string, inst: Instrumentation, patched: (library: string, version?: string) => void): void {
  let warned = false;
  wrapOnRequire(inst, (onRequire) => (module, exports, moduleName, baseDir) => {
    // The ES module wrapper of a CommonJS package already patched through require() (see above).
    if (isNamespace(exports) && patchedThroughRequire.has(exports.default as object))
      return patchedThroughRequire.get(exports.default as object);
    try {
      const out = onRequire(module, exports, moduleName, baseDir);
      // InstrumentationBase keeps the exports of a main module it patched.
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
  });
}
