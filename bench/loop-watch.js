// How long a process holds its own event loop, as the benches and test/scale measure it: a 1 ms
// timer, and between two of its ticks the wall-clock gap and that gap bounded by the CPU time the
// process used in it. On a loaded box the gap also counts time the OS ran other processes (a
// cluster's workers, other jobs), which the process's own code neither causes nor prevents.

/** Starts the timer (unref'd); `watch()` starts a measurement, `stop()` ends it: `{ maxGapMs, maxBusyMs }`. */
export function loopWatch() {
  let watching = false;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let maxGap = 0;
  let maxBusy = 0;
  setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (watching) {
      const gap = now - last - 1;
      maxGap = Math.max(maxGap, gap);
      maxBusy = Math.max(maxBusy, Math.min(gap, (cpu.user + cpu.system) / 1000));
    }
    last = now;
    lastCpu = process.cpuUsage();
  }, 1).unref();
  return {
    watch() {
      maxGap = 0;
      maxBusy = 0;
      last = performance.now();
      lastCpu = process.cpuUsage();
      watching = true;
    },
    stop() {
      watching = false;
      return { maxGapMs: Math.max(0, maxGap), maxBusyMs: Math.max(0, maxBusy) };
    },
  };
}
