// Charging CPU samples to spans (src/profiling/timeline.ts), on profiles laid out in time around
// spans handed to the tap as the span processor hands them: the innermost span wins, idle samples
// and samples outside every span stay unlabelled, a span still running covers the rest of the
// profile, trace ids come back as given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanTimeline } from '../../dist/profiling/timeline.js';

const nowUs = () => Number(process.hrtime.bigint()) / 1000;
const hr = (us) => [Math.floor(us / 1e6), Math.round((us % 1e6) * 1000)];

/** What the tap reads of an SDK span. */
function span(name, traceId, durationUs, startedWallMs = Date.now()) {
  return { name, spanContext: () => ({ traceId }), startTime: hr(startedWallMs * 1000), duration: hr(durationUs) };
}

/** A profile whose samples land at `times` (monotonic µs), in the node named by `at`. */
function profile(times, at, endTime) {
  const names = ['(root)', 'work', '(idle)'];
  const nodes = names.map((functionName, i) => ({
    id: i + 1,
    callFrame: { functionName, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
    children: i === 0 ? [2, 3] : [],
  }));
  const startTime = times[0] - 1000;
  let last = startTime;
  const timeDeltas = times.map((t) => {
    const d = t - last;
    last = t;
    return d;
  });
  return { nodes, startTime, endTime, samples: at.map((n) => names.indexOf(n) + 1), timeDeltas };
}

const labelled = (tl, p) => {
  const { spans, ofSample } = tl.assign(p);
  return [...ofSample].map((i) => (i < 0 ? null : `${spans[i].name} ${spans[i].traceId}`));
};

test('a sample goes to the innermost span covering it; idle and uncovered samples to none', () => {
  const tl = new SpanTimeline();
  const A = 'fedcba9876543210fedcba9876543210';
  const B = '00000000000000000000000000000001';
  // Spans and samples are tens of milliseconds apart, so a scheduling pause of up to 20 ms between
  // a tap and the clock read beside it (a loaded CI machine) moves no sample across a span's edge.
  // The child ran the last 40 ms before its end, the parent the last 100 ms before the same moment.
  tl.tap(span('child', A, 40_000), true);
  const end = nowUs();
  tl.tap(span('parent', A, 100_000), true);
  // Another trace's span later on, 30 ms long.
  const later = span('other', B, 30_000);
  const t = nowUs();
  while (nowUs() < t + 60_000); // let time pass: the other span ends 60 ms later
  const otherEnd = nowUs();
  tl.tap(later, true);
  const p = profile(
    [end - 80_000, end - 20_000, end - 15_000, otherEnd - 10_000, otherEnd - 45_000],
    ['work', 'work', '(idle)', 'work', 'work'],
    otherEnd + 10_000,
  );
  // Samples in time order, one outside every span (between the parent's end and the other's start).
  const order = [0, 1, 2, 4, 3];
  const got = labelled(tl, p);
  assert.deepEqual(
    order.map((i) => got[i]),
    [`parent ${A}`, `child ${A}`, null, null, `other ${B}`],
  );
});

test('a span still running when the profile stops covers the rest of it, inner spans still win', () => {
  const tl = new SpanTimeline();
  const L = 'abcdefabcdefabcdefabcdefabcdef12';
  const long = span('long job', L, 0, Date.now() - 50);
  long.duration = [-1, -1]; // as the SDK has it until the span ends
  tl.tap(long, false);
  tl.tap(span('step', L, 2000), true);
  const stepEnd = nowUs();
  const p = profile([stepEnd - 1000, stepEnd + 3000, stepEnd + 9000], ['work', 'work', 'work'], stepEnd + 10_000);
  assert.deepEqual(labelled(tl, p), [`step ${L}`, `long job ${L}`, `long job ${L}`]);
});

test('span names with URL credentials are masked in labels', () => {
  const tl = new SpanTimeline();
  tl.tap(span('GET https://user:s3cret@db.example/x', '1'.repeat(32), 5000), true);
  const end = nowUs();
  const [label] = labelled(tl, profile([end - 1000], ['work'], end));
  assert.ok(!label.includes('s3cret'), label);
});
