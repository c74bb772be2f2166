import { CREDENTIAL_PARAMS, maskUrlCredentials } from '../util/redact.js';

// Names are plain [a-z_-] words: no regex escaping needed.
const NAMES = CREDENTIAL_PARAMS.join('|');
const SENSITIVE_PARAMS = new RegExp(`^(?:${NAMES})$`, 'i');

// A sensitive query parameter's value, in a URL or in free text (ends at the next separator).
const SENSITIVE_VALUE = new RegExp(`([?&](?:${NAMES})=)[^&\\s"'<>#]*`, 'gi');

/** A URL/DSN (or a text containing some) with passwords and sensitive query values as `***`. */
export function maskDsn(text: string): string {
  return maskUrlCredentials(text).replace(SENSITIVE_VALUE, '$1***');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The secret strings of a DSN (raw and decoded password, sensitive query values). */
export function secretsOf(dsn: string): string[] {
  const found = new Set<string>();
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)@/.exec(dsn);
  if (m) {
    const userinfo = m[1]!;
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      const pw = userinfo.slice(colon + 1);
      found.add(pw);
      found.add(safeDecode(pw));
    }
  }
  const q = dsn.indexOf('?');
  if (q >= 0) {
    for (const kv of dsn.slice(q + 1).split('&')) {
      const eq = kv.indexOf('=');
      if (eq > 0 && SENSITIVE_PARAMS.test(safeDecode(kv.slice(0, eq)))) {
        found.add(kv.slice(eq + 1));
        found.add(safeDecode(kv.slice(eq + 1)));
      }
    }
  }
  // Very short secrets are not replaced literally: masking every "a" would garble messages
  // and reveal more than it hides. URL forms are still masked by maskDsn.
  return [...found].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/** A scrubber for one DSN: masks URL credentials anywhere, then every literal secret. */
export function scrubberFor(dsn: string): (text: string) => string {
  const secrets = secretsOf(dsn);
  return (text: string) => {
    let out = maskDsn(text);
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  };
}
