import { context, type Context } from '@opentelemetry/api';

interface AttachableManager {
  attach?(ctx: Context): { dispose(): void };
}

/**
 * Make `ctx` the active OTel context until the returned function runs — what a `using` handle
 * needs, since `using` has no callback to pass to `context.with`. The public API (1.9) has no
 * attach; AsyncLocalStorageContextManager 2.x has an experimental `attach()` (enterWith on
 * Node < 25.9, with the async-function caveat documented there). Without such a manager (no
 * SDK, or another context manager) the span is simply not made active: it still records.
 */
export function attachContext(ctx: Context): () => void {
  let manager: AttachableManager | undefined;
  try {
    manager = (context as unknown as { _getContextManager(): AttachableManager })._getContextManager();
  } catch {
    return noop;
  }
  if (typeof manager?.attach !== 'function') return noop;
  const token = manager.attach(ctx);
  return () => token.dispose();
}

function noop(): void {}
