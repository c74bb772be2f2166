/**
 * Credential masking shared by the logger (every string value) and the health checks (DSNs).
 * Only the password part of `scheme://user:password@host` is hidden: the user and host stay
 * visible because they are what an operator needs to tell which connection is meant.
 */

// scheme://user:password@  — the scheme per RFC 3986, the user without ':' '/' '@' or spaces,
// the password anything up to the last '@' before the next '/', whitespace or quote.
// A password may itself contain '@' (unencoded in sloppy DSNs), hence the greedy class that
// still stops at separators that cannot belong to an authority.
const URL_CREDENTIALS = /([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^\s:/@'"<>]*):([^\s/'"<>]*)@(?=[^\s@/'"<>]*(?:[\s/'"<>?#]|$))/g;

/** Cheap pre-check so that strings without "://" (almost all log values) skip the regex. */
export function hasUrlCredentials(value: string): boolean {
  const i = value.indexOf('://');
  return i > 0 && value.indexOf('@', i) > 0;
}

/**
 * `postgres://app:s3cret@db:5432/x` → `postgres://app:***@db:5432/x`, for every URL with
 * credentials found anywhere in the string. Non-strings are returned unchanged (String()ed
 * values never reach here, callers decide). Never throws.
 */
export function maskUrlCredentials(value: string): string {
  if (typeof value !== 'string' || !hasUrlCredentials(value)) return value;
  URL_CREDENTIALS.lastIndex = 0;
  return value.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:***@`);
}

/**
 * Query parameter names whose values are credentials: kept out of span attributes
 * (sdk/redaction.ts) and masked in dependency DSNs and URLs (health/mask.ts). Broader than the
 * log keys below, which also match as the last word of a compound key (`key` there would
 * redact every `cache_key`).
 */
export const CREDENTIAL_PARAMS: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'pwd',
  'pass',
  'sslpassword',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'key',
  'session',
  'sessionid',
  'jwt',
]);

/** Default sensitive keys (compared lowercased). */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'authorization',
  'password',
  'passwd',
  'secret',
  'token',
  'api_key',
  'apikey',
  'cookie',
  'set-cookie',
]);

export const REDACTED = '[REDACTED]';
