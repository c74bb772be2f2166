import { createRequire } from 'node:module';

// Some built-ins cost start-up memory (`node:https` brings OpenSSL's TLS layer, `node:crypto`
// its bindings) and are needed only on a rarer path: load them there.
// createRequire('/') resolves built-ins from any base; import.meta is unavailable in the CJS build.
// Memoised: callers sit on per-request paths (a bearer-token check loads node:crypto twice),
// and the lookup goes through require-in-the-middle's hook under register.
let req: NodeJS.Require | undefined;
const loaded = new Map<string, unknown>();

export function builtin<T>(name: string): T {
  let mod = loaded.get(name);
  if (mod === undefined) {
    const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    mod = get ? get(name) : (req ??= createRequire('/'))(name);
    loaded.set(name, mod);
  }
  return mod as T;
}
