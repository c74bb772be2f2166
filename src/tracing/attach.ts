import type { Context } from '@opentelemetry/api';
import { attachableContextManager } from '../compat/context-manager.js';

/**
 * Make `ctx` the active OTel context until the returned function runs — what a `using` handle
 * needs, since `using` has no callback to pass to `context.with`. The public API (1.9) has no
 * attach; AsyncLocalStorageContextManager 2.x has an experimental `attach()` (enterWith on
 * Node < 25.9, with the async-function caveat documented there). Without such a manager (no
 * SDK, or another context manager) the span is simply not made active: it still records.
 */
export function attachContext(ctx: Context): () => void {
  const manager = attachableContextManager();
  if (manager === undefined) return noop;
  const token = manager.attach(ctx);
  return () => token.dispose();
}

function noop(): void {}
