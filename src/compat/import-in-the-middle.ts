// import-in-the-middle calls each hook once a module it wraps has evaluated, walking its list of
// hooks (lib/register.js's `importHooks`, not exported by its index); a hook added during that
// walk misses the module, and the module joins the list replayed to later hooks only after the
// walk. Reading the list lets a hook that constructs an instrumentation call the hooks that
// instrumentation just added, for this module.
// Contract: test/unit/compat/import-in-the-middle.test.js.

declare const require: (id: string) => unknown;

/** import-in-the-middle's live list of hooks, or undefined when its layout changed. */
export function importHooks(): ((...args: unknown[]) => void)[] | undefined {
  try {
    const hooks = (require('import-in-the-middle/lib/register.js') as { importHooks?: unknown }).importHooks;
    return Array.isArray(hooks) ? (hooks as ((...args: unknown[]) => void)[]) : undefined;
  } catch {
    return undefined;
  }
}
