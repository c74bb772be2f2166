import { statfsSync } from 'node:fs';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { envBool } from './env.js';

// CPU, memory and network come from @opentelemetry/instrumentation-host-metrics, event loop, heap and GC from
// @opentelemetry/instrumentation-runtime-node; host-metrics has no filesystem metric, so the
// semconv `system.filesystem.*` gauges for the working directory's filesystem are added here.
let started: Promise<void> | undefined;

export function startSystemMetrics(meterProvider: MeterProvider, withRuntime: boolean): Promise<void> {
  return (started ??= (async () => {
    const { HostMetricsInstrumentation } = await import('@opentelemetry/instrumentation-host-metrics');
    // system.network is off unless asked for: systeminformation reads it with execSync (`ip
    // route`, ~3.5 ms of blocked event loop on every collection, i.e. every scrape).
    const groups = ['system.cpu', 'system.memory', 'process.cpu', 'process.memory'];
    if (envBool('MONITORING_NETWORK_METRICS', false)) groups.push('system.network');
    const host = new HostMetricsInstrumentation({ metricGroups: groups });
    host.setMeterProvider(meterProvider);
    host.enable();
    if (withRuntime) {
      const { RuntimeNodeInstrumentation } = await import('@opentelemetry/instrumentation-runtime-node');
      const r = new RuntimeNodeInstrumentation({ monitoringPrecision: 10 });
      r.setMeterProvider(meterProvider);
      r.enable();
    }
    const meter = meterProvider.getMeter('@socketcomm/monitoring/system');
    const usage = meter.createObservableUpDownCounter('system.filesystem.usage', {
      unit: 'By',
      description: 'Filesystem space of the working directory, by state',
    });
    const utilization = meter.createObservableGauge('system.filesystem.utilization', {
      unit: '1',
      description: 'Fraction of the working directory filesystem in use',
    });
    meter.addBatchObservableCallback(
      (result) => {
        try {
          const st = statfsSync(process.cwd());
          const total = st.blocks * st.bsize;
          const free = st.bavail * st.bsize;
          const used = total - st.bfree * st.bsize;
          const attrs = { 'system.filesystem.mountpoint': process.cwd() };
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
