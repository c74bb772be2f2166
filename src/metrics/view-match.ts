import type { Attributes } from '@opentelemetry/api';

// The matching rules of OTel views, shared by the facade's instruments and the OTel SDK's:
// instrument names and attribute keys are matched by wildcard patterns, `*` any run of
// characters (none included) and `?` exactly one (the opentelemetry-configuration schema's
// rule). Written here because sdk-metrics' own predicate turns only the first `*` into a
// wildcard and treats `?` as a literal, and its attribute processors take exact keys only.

/** A test for one pattern; a pattern without wildcards is compared as a plain string. */
export function wildcardMatcher(pattern: string): (s: string) => boolean {
  if (pattern === '*') return () => true;
  if (!/[*?]/.test(pattern)) return (s) => s === pattern;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 's');
  return (s) => re.test(s);
}

/** True when a pattern can match more than one string. */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

export interface AttributeKeys {
  readonly included?: readonly string[];
  readonly excluded?: readonly string[];
}

/**
 * Which attribute keys a stream keeps: those matching an `included` pattern (all when
 * `included` is absent) and no `excluded` one (a key matching both is excluded, as the schema
 * says). Undefined when every key is kept. Answers are remembered per key: attribute keys are
 * few, and the SDK's processor asks on every call.
 */
export function attributeKeyFilter(keys: AttributeKeys | undefined): ((key: string) => boolean) | undefined {
  if (keys === undefined || (keys.included === undefined && (keys.excluded === undefined || keys.excluded.length === 0))) {
    return undefined;
  }
  const inc = keys.included?.map(wildcardMatcher);
  const exc = (keys.excluded ?? []).map(wildcardMatcher);
  const known = new Map<string, boolean>();
  return (key) => {
    let keep = known.get(key);
    if (keep === undefined) {
      keep = (inc === undefined || inc.some((m) => m(key))) && !exc.some((m) => m(key));
      // Bounded: a program making up keys cannot grow it without end.
      if (known.size < 1000) known.set(key, keep);
    }
    return keep;
  };
}

/** The attributes whose keys `keep` accepts (`attrs` itself when it accepts all of them). */
export function filterAttributes(attrs: Attributes, keep: (key: string) => boolean): Attributes {
  let out: Attributes | undefined;
  for (const k in attrs) {
    if (keep(k)) continue;
    out = {};
    break;
  }
  if (out === undefined) return attrs;
  for (const k in attrs) if (keep(k)) out[k] = attrs[k];
  return out;
}
