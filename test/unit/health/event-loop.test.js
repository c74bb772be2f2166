// The event_loop check (src/health/defaults.ts) on this process's own loop: a stall stays
// reported for 3 s from the first read that sees it, even when that read also ends the
// histogram's window, and no longer after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultThresholds, eventLoopCheck, startLoopMonitor } from '../../../dist/health/defaults.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a stall stays reported for 3 s from the read that saw it, then the check is healthy again', async () => {
  const t = defaultThresholds();
  startLoopMonitor();
  // Let the histogram's 3 s window run out, so that the read seeing the stall also resets it.
  eventLoopCheck(t);
  await sleep(3100);
  const end = Date.now() + 1200;
  while (Date.now() < end); // a synchronous stall over the unhealthy threshold (1000 ms)
  await sleep(50); // the loop monitor records the delay on its next tick
  const first = eventLoopCheck(t);
  const seenAt = Date.now();
  assert.equal(first.status, 'unhealthy', JSON.stringify(first));
  assert.ok(first.details.maxMs >= 1100, JSON.stringify(first.details));
  // Reads during the next 3 s: the histogram was reset by the first read, the stall is still reported.
  while (Date.now() < seenAt + 2700) {
    await sleep(300);
    const r = eventLoopCheck(t);
    assert.equal(r.status, 'unhealthy', `${Date.now() - seenAt} ms after the stall was seen: ${JSON.stringify(r)}`);
    assert.match(r.message, /event loop stalled 1[0-9]{3}(\.\d)? ms/);
  }
  await sleep(Math.max(0, seenAt + 3100 - Date.now()));
  const later = eventLoopCheck(t);
  assert.equal(later.status, 'healthy', JSON.stringify(later));
});
