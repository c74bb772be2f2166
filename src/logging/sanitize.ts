import { DEFAULT_REDACT_KEYS, hasUrlCredentials, maskUrlCredentials, REDACTED } from '../util/redact.js';

// Nested values deeper than this print as a marker: a log line is not a heap dump.
const MAX_DEPTH = 8;
const MAX_ARRAY = 1000;
const MAX_CACHED_KEYS = 10000;

/**
 * Copies log fields into a JSON-safe object: values under sensitive keys become [REDACTED]
 * (any depth, case-insensitive, also as the last word of a compound key such as
 * `access_token`, `dbPassword` or `x-api-key`), URL credentials in strings are masked,
 * circular references, BigInt, functions, errors and throwing getters are made printable.
 */
export class Sanitizer {
  private readonly keys: Set<string>;
  private readonly cache = new Map<string, boolean>();

  constructor(keys: readonly string[] = DEFAULT_REDACT_KEYS) {
    this.keys = new Set(keys.map(normalizeKey));
  }

  isSensitive(key: string): boolean {
    let s = this.cache.get(key);
    if (s === undefined) {
      const k = normalizeKey(key);
      s = this.keys.has(k);
      if (!s) {
        for (const w of this.keys) {
          if (k.endsWith('_' + w)) {
            s = true;
            break;
          }
        }
      }
      if (this.cache.size < MAX_CACHED_KEYS) this.cache.set(key, s);
    }
    return s;
  }

  /** Copy `fields`' own enumerable properties into `target`, sanitized. */
  copyInto(target: Record<string, unknown>, fields: object): void {
    let keys: string[];
    try {
      keys = Object.keys(fields);
    } catch {
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (this.isSensitive(k)) {
        target[k] = REDACTED;
        continue;
      }
      let v: unknown;
      try {
        v = (fields as Record<string, unknown>)[k];
      } catch {
        target[k] = '[Unreadable]';
        continue;
      }
      target[k] = typeof v === 'string' ? maskString(v) : typeof v === 'number' || typeof v === 'boolean' ? v : this.value(v, 1, [fields]);
    }
  }

  value(v: unknown, depth: number, path: object[]): unknown {
    switch (typeof v) {
      case 'string':
        return maskString(v);
      case 'number':
      case 'boolean':
      case 'undefined':
        return v;
      case 'bigint':
        return v.toString();
      case 'symbol':
        return v.toString();
      case 'function':
        return `[Function ${v.name || 'anonymous'}]`;
    }
    if (v === null) return null;
    const o = v as object;
    if (path.includes(o)) return '[Circular]';
    if (depth > MAX_DEPTH) return Array.isArray(o) ? '[Array]' : '[Object]';
    try {
      if (o instanceof Error) return this.error(o, depth, path);
      if (o instanceof Date) return Number.isNaN(o.getTime()) ? null : o.toISOString();
      if (ArrayBuffer.isView(o)) return `[${o.constructor.name} ${o.byteLength} bytes]`;
      path.push(o);
      try {
        if (Array.isArray(o)) {
          const n = Math.min(o.length, MAX_ARRAY);
          const out: unknown[] = new Array(n);
          for (let i = 0; i < n; i++) out[i] = this.value(o[i], depth + 1, path);
          if (o.length > n) out.push(`[${o.length - n} more]`);
          return out;
        }
        if (o instanceof Map) return this.value(Object.fromEntries(o), depth, path);
        if (o instanceof Set) return this.value(Array.from(o), depth, path);
        const toJSON = (o as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') return this.value(toJSON.call(o), depth + 1, path);
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(o)) {
          out[k] = this.isSensitive(k) ? REDACTED : this.value((o as Record<string, unknown>)[k], depth + 1, path);
        }
        return out;
      } finally {
        path.pop();
      }
    } catch {
      return '[Unserializable]';
    }
  }

  /** An error as fields: type, message, stack (credentials masked), plus own extra properties. */
  error(e: Error, depth = 1, path: object[] = []): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: safeString(() => e.name) ?? 'Error',
      message: maskString(safeString(() => e.message) ?? ''),
    };
    const stack = safeString(() => e.stack);
    if (stack !== undefined) out.stack = maskString(stack);
    path.push(e);
    try {
      for (const k of Object.keys(e)) {
        if (k === 'stack' || k === 'message') continue;
        out[k] = this.isSensitive(k) ? REDACTED : this.value((e as unknown as Record<string, unknown>)[k], depth + 1, path);
      }
    } catch {
      // Exotic error objects: the three fields above are enough.
    } finally {
      path.pop();
    }
    return out;
  }
}

export function maskString(s: string): string {
  return hasUrlCredentials(s) ? maskUrlCredentials(s) : s;
}

function safeString(f: () => unknown): string | undefined {
  try {
    const v = f();
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value, as JavaScript would print it
    return typeof v === 'string' ? v : v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/** `accessToken` / `Access-Token` / `access.token` → `access_token`. */
function normalizeKey(k: string): string {
  return k
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-.\s]+/g, '_')
    .toLowerCase();
}
