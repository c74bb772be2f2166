import { createRequire } from 'node:module';

// Some built-ins cost start-up memory (`node:https` brings OpenSSL's TLS layer, `node:crypto`
// its bindings) and are needed only on a rarer path: load them there.
// createRequire('/') resolves built-ins from any base; import.meta is unavailable in the CJS build.
let req: NodeJS.Require | undefined;

export function builtin<T>(name: string): T {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (get) return get(name) as T;
  req ??= createRequire('/');
  return req(name) as T;
}

