import { context, type Context } from '@opentelemetry/api';

// @opentelemetry/api 1.9 has no public way to read the global context manager, and its
// ContextManager interface has no attach. `context._getContextManager()` (private, on the
// ContextAPI singleton) returns whichever manager is registered, ours or the app's own
// NodeSDK's; AsyncLocalStorageContextManager 2.x adds an experimental `attach()`.
// Contract: test/unit/compat/context-manager.test.js.

/** A context manager that can make a context active without a callback. */
export interface AttachableContextManager {
  attach(ctx: Context): { dispose(): void };
}

/** The registered global context manager when it can attach; undefined otherwise (none, or another kind). */
export function attachableContextManager(): AttachableContextManager | undefined {
  let manager: Partial<AttachableContextManager> | undefined;
  try {
    manager = (context as unknown as { _getContextManager(): Partial<AttachableContextManager> })._getContextManager();
  } catch {
    return undefined;
  }
  return typeof manager?.attach === 'function' ? (manager as AttachableContextManager) : undefined;
}
