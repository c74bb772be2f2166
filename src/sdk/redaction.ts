import { CREDENTIAL_PARAMS } from '../util/redact.js';

// Query parameters whose values never go into span attributes (`url.query` of incoming
// requests, `url.full` of outgoing ones): OpenTelemetry's own defaults (signed-URL keys) plus
// the credential names the logger redacts. instrumentation-http matches names exactly.
const OTEL_DEFAULTS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'];

export const SENSITIVE_QUERY_PARAMS: string[] = [
  ...OTEL_DEFAULTS,
  ...CREDENTIAL_PARAMS.flatMap((n) => [n, n.toUpperCase(), n.replace(/(^|[-_])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase())]),
].filter((v, i, a) => a.indexOf(v) === i);
