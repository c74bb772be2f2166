// The diag logger register installs prints each kind of error or warning once an hour: the
// same export failure arriving with other numbers or through another async path (so another
// stack) is a repeat, a different failure is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DedupingDiagLogger } from '../../dist/sdk/diag.js';

function recorder() {
  const lines = [];
  const push =
    (level) =>
    (m, ...a) =>
      lines.push([level, m, ...a]);
  return {
    lines,
    logger: { error: push('error'), warn: push('warn'), info: push('info'), debug: push('debug'), verbose: push('verbose') },
  };
}

// What OTel's global error handler logs: the exception as JSON with its stack.
const exported = (frames) =>
  JSON.stringify({
    stack: `Error: PeriodicExportingMetricReader: metrics export failed (error Error: Request timed out)\n${frames}`,
    message: 'PeriodicExportingMetricReader: metrics export failed (error Error: Request timed out)',
    name: 'Error',
  });

test('one line per failure kind: other stacks and numbers are repeats, another failure is not', () => {
  const { lines, logger } = recorder();
  const diag = new DedupingDiagLogger(logger);
  diag.error(
    exported(
      '    at e (/app/dist/register.bundle.cjs:1:75379)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ),
  );
  diag.error(
    exported(
      '    at e (/app/dist/register.bundle.cjs:1:75379)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at runNextTicks (node:internal/process/task_queues:64:3)',
    ),
  );
  diag.error('connect ECONNREFUSED 127.0.0.1:4318');
  diag.error('connect ECONNREFUSED 127.0.0.1:4319');
  diag.warn('connect ECONNREFUSED 127.0.0.1:4318');
  diag.error('Export failed with status 429');
  diag.info('info passes through');
  diag.info('info passes through');
  const errors = lines.filter((l) => l[0] === 'error');
  assert.equal(errors.length, 3, JSON.stringify(errors, null, 1));
  assert.match(errors[0][1], /Request timed out.*repeats of this message are suppressed for an hour/s);
  assert.equal(lines.filter((l) => l[0] === 'warn').length, 1, 'a warning is its own kind');
  assert.equal(lines.filter((l) => l[0] === 'info').length, 2, 'info is never suppressed');
});
