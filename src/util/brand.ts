import { PACKAGE_NAME } from '../package-info.js';
// register runs from a pre-bundled CommonJS file while the app imports the package's own
// modules, so one process can hold two copies of each facade class sharing one default
// instance. `instanceof` must still hold across copies: each instance carries a global brand
// and the classes answer `instanceof` by it.
const BRAND = Symbol.for(`${PACKAGE_NAME}/brand`);

export function brand(obj: object, name: string): void {
  if (!Object.prototype.hasOwnProperty.call(obj, BRAND)) Object.defineProperty(obj, BRAND, { value: name });
}

/** For `static [Symbol.hasInstance]`: brand check on the facade class itself, normal rules for subclasses. */
export function isBranded(cls: unknown, base: unknown, name: string, x: unknown): boolean {
  if (cls !== base) return Function.prototype[Symbol.hasInstance].call(cls as () => void, x);
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === name;
}
