// One list of credential query parameters (util/redact.ts CREDENTIAL_PARAMS) serves the DSN
// masking of dependency checks and the query redaction of HTTP spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskDsn, scrubberFor } from '../../dist/health/mask.js';
import { SENSITIVE_QUERY_PARAMS } from '../../dist/sdk/redaction.js';
import { CREDENTIAL_PARAMS } from '../../dist/util/redact.js';

test('DSNs: the password and every credential query parameter are masked, the rest stays readable', () => {
  const dsn = 'postgres://app:s3cret-pw@db.local:5432/orders?sslmode=require&sslpassword=canary1&client_secret=canary2&KEY=canary3&application_name=api';
  const shown = maskDsn(dsn);
  assert.equal(shown, 'postgres://app:***@db.local:5432/orders?sslmode=require&sslpassword=***&client_secret=***&KEY=***&application_name=api');
  const scrub = scrubberFor(dsn);
  // A driver error quoting the decoded secrets on their own is scrubbed too.
  assert.equal(scrub('auth failed for s3cret-pw (canary1, canary2, canary3)'), 'auth failed for *** (***, ***, ***)');
});

test('HTTP spans redact the same names, in the spellings instrumentation-http compares exactly', () => {
  for (const n of CREDENTIAL_PARAMS) {
    assert.ok(SENSITIVE_QUERY_PARAMS.includes(n), n);
    assert.ok(SENSITIVE_QUERY_PARAMS.includes(n.toUpperCase()), n.toUpperCase());
  }
  assert.ok(SENSITIVE_QUERY_PARAMS.includes('X-Amz-Signature'), "OTel's own defaults stay");
});
