import { CREDENTIAL_PARAMS } from '../util/redact.js';

// Query parameters whose values never go into span attributes (`url.query` of incoming
// requests, `url.full` of outgoing ones): OpenTelemetry's own defaults (signed-URL keys) plus
// the credential names the logger redacts. instrumentation-http matches names exactly.
const OTEL_DEFAULTS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

export const SENSITIVE_QUERY_PARAMS: string[] = [
  ...OTEL_DEFAULTS,
  ...CREDENTIAL_PARAMS.flatMap((n) => [
    n,
    n.toUpperCase(),
    n.replace(/(^|[-_])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  ]),
].filter((v, i, a) => a.indexOf(v) === i);

const SENSITIVE = new Set(SENSITIVE_QUERY_PARAMS);

/**
 * instrumentation-undici (fetch) has no `redactedQueryParams` option and records the query in
 * `url.full` and `url.query` as sent. As its `startSpanHook`, this returns both with the same
 * names redacted the way instrumentation-http does (exact name, value `REDACTED`, the rest of
 * the query untouched); the hook's attributes replace the instrumentation's own.
 */
export function redactFetchUrl(request: { origin: string; path: string }): Record<string, string> {
  const q = request.path.indexOf('?');
  if (q < 0) return {};
  const end = request.path.indexOf('#', q);
  const query = request.path.slice(q + 1, end < 0 ? undefined : end);
  let changed = false;
  const redacted = query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      if (!SENSITIVE.has(name)) return part;
      changed = true;
      return `${name}=REDACTED`;
    })
    .join('&');
  if (!changed) return {};
  const path = request.path.slice(0, q);
  return { 'url.full': `${new URL(path, request.origin).href}?${redacted}`, 'url.query': `?${redacted}` };
}
