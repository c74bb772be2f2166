import { readFileSync, statfsSync } from 'node:fs';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { getState } from '../state.js';
import { getConfig } from '../config/index.js';
import { PACKAGE_NAME } from '../package-info.js';

// CPU, memory and network come from @opentelemetry/instrumentation-host-metrics, event loop, heap and GC from
// @opentelemetry/instrumentation-runtime-node; host-metrics has no filesystem metric, so the
// semconv `system.filesystem.*` gauges for the working directory's filesystem are added here.
let started: Promise<void> | undefined;

/** The mount point holding `dir` (longest matching mount in /proc/self/mountinfo), else `dir`. */
export function mountPointOf(dir: string): string {
  try {
    let best = '';
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      // Field 5 is the mount point, with spaces etc. octal-escaped.
      const mp = line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      if (mp && (dir === mp || dir.startsWith(mp.endsWith('/') ? mp : mp + '/')) && mp.length > best.length) best = mp;
    }
    return best || dir;
  } catch {
    return dir;
  }
}

/**
 * Start host metrics a second from now (they pull in systeminformation) so that they never
 * delay the app's own start; a short script exits before and never pays for them. Nothing
 * in a cluster follower or while the role is being decided: system.* describe the host, and
 * the serving process's are served (src/cluster), which calls this again once elected.
 */
export function deferSystemMetrics(): void {
  if (!getConfig().monitoring.systemMetrics) return;
  setTimeout(() => {
    const state = getState();
    if (state.cluster.role === 'follower' || state.cluster.role === 'starting') return;
    // After a shutdown the providers are closed: instruments created now only print warnings.
    if (state.shutdown.shuttingDown) return;
    void state.sdk.instance?.startSystemMetrics().catch(() => {});
  }, 1000).unref();
}

export function startSystemMetrics(meterProvider: MeterProvider, withRuntime: boolean): Promise<void> {
  return (started ??= (async () => {
    const { HostMetricsInstrumentation } = await import('@opentelemetry/instrumentation-host-metrics');
    // A signal may have arrived while the module loaded (see deferSystemMetrics).
    if (getState().shutdown.shuttingDown) return;
    // system.network is off unless asked for: systeminformation reads it with execSync (`ip
    // route`, ~3.5 ms of blocked event loop on every collection, i.e. every scrape).
    const groups = ['system.cpu', 'system.memory', 'process.cpu', 'process.memory'];
    if (getConfig().monitoring.networkMetrics) groups.push('system.network');
    const host = new HostMetricsInstrumentation({ metricGroups: groups });
    host.setMeterProvider(meterProvider);
    host.enable();
    if (withRuntime) {
      const { RuntimeNodeInstrumentation } = await import('@opentelemetry/instrumentation-runtime-node');
      const r = new RuntimeNodeInstrumentation({ monitoringPrecision: 10 });
      r.setMeterProvider(meterProvider);
      r.enable();
    }
    const meter = meterProvider.getMeter(`${PACKAGE_NAME}/system`);
    const usage = meter.createObservableUpDownCounter('system.filesystem.usage', {
      unit: 'By',
      description: 'Filesystem space of the working directory, by state',
    });
    const utilization = meter.createObservableGauge('system.filesystem.utilization', {
      unit: '1',
      description: 'Fraction of the working directory filesystem in use',
    });
    let mountpoint: string | undefined;
    meter.addBatchObservableCallback(
      (result) => {
        try {
          const st = statfsSync(process.cwd());
          const total = st.blocks * st.bsize;
          const free = st.bavail * st.bsize;
          const used = total - st.bfree * st.bsize;
          const attrs = { 'system.filesystem.mountpoint': (mountpoint ??= mountPointOf(process.cwd())) };
          result.observe(usage, used, { ...attrs, 'system.filesystem.state': 'used' });
          result.observe(usage, free, { ...attrs, 'system.filesystem.state': 'free' });
          result.observe(utilization, total > 0 ? used / total : 0, attrs);
        } catch {
          // statfs is unavailable on this platform or path: report nothing rather than fail the collection.
        }
      },
      [usage, utilization],
    );
  })());
}
