import { InstrumentationBase, type Instrumentation } from '@opentelemetry/instrumentation';

// @opentelemetry/instrumentation's InstrumentationBase calls every patch of every module
// definition through its protected `_onRequire(module, exports, name, baseDir)`, from the
// require-in-the-middle and import-in-the-middle hooks alike, having set `module.moduleExports`
// (and `moduleVersion`) before calling the patch; the hooks look the method up on the instance
// each time. It has no public seam to catch a throwing patch or to learn what it patched.
// Contract: test/unit/compat/instrumentation-base.test.js.

/** A module definition as _onRequire receives it. */
export interface ModuleDefinition {
  name: string;
  moduleVersion?: string;
  moduleExports?: unknown;
  unpatch?: (exports: unknown, version?: string) => void;
}
export type OnRequire = (module: ModuleDefinition, exports: unknown, name: string, baseDir?: string) => unknown;

/** Put `wrap(original)` in place of the instance's _onRequire; false when it has none. */
export function wrapOnRequire(inst: Instrumentation, wrap: (original: OnRequire) => OnRequire): boolean {
  const target = inst as unknown as { _onRequire?: OnRequire };
  const original = target._onRequire;
  if (typeof original !== 'function') return false;
  target._onRequire = wrap(original.bind(inst));
  return true;
}

// Any InstrumentationBase, constructed, puts require-in-the-middle's single Module.prototype.require
// hook in place (its RequireInTheMiddleSingleton, a field initializer); this one patches nothing.
class HookAnchor extends InstrumentationBase {
  constructor(name: string) {
    super(name, '1', { enabled: false });
  }
  protected init(): [] {
    return [];
  }
}

/** Make sure require-in-the-middle's hook is in place (constructing an instrumentation does that). */
export function ensureRequireHook(name: string): void {
  new HookAnchor(name);
}
