/**
 * `using` / `await using` need `Symbol.dispose` / `Symbol.asyncDispose` at runtime: the code
 * TypeScript downlevels looks them up on `Symbol`. Node 20.4+ defines them (as
 * `Symbol.for('nodejs.dispose')`); older runtimes get the same registered symbols so that a
 * handle created here is disposable by any copy of this package and by Node's own polyfill.
 */
const S = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
if (typeof S.dispose !== 'symbol') {
  Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('nodejs.dispose'), configurable: false, writable: false });
}
if (typeof S.asyncDispose !== 'symbol') {
  Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose'), configurable: false, writable: false });
}

export const disposeSymbol: typeof Symbol.dispose = Symbol.dispose;
export const asyncDisposeSymbol: typeof Symbol.asyncDispose = Symbol.asyncDispose;

/**
 * Make the current execution context carry `store` until `restore()` — the only way to scope
 * an AsyncLocalStorage to a `using` block, which has no callback. Works exactly in synchronous
 * blocks; in an async function, the caller's remaining synchronous code (after the call
 * returns at the first `await`) also sees the store, because the function body shares the
 * caller's execution context until then. The callback forms have no such caveat.
 */
export interface StoreLike<T> {
  getStore(): T | undefined;
  enterWith(store: T): void;
}
export function enterScoped<T>(als: StoreLike<T>, store: T): () => void {
  const previous = als.getStore();
  als.enterWith(store);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    // Only undo our own scope: if something else re-entered meanwhile, leave it.
    if (als.getStore() === store) als.enterWith(previous as T);
  };
}
