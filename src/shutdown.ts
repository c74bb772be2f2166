import { getState, type ShutdownPhase, type ShutdownStep } from './state.js';
import { getConfig } from './config/index.js';

/**
 * Steps other capabilities add to the shutdown sequence: `begin` at once (readiness turning
 * 503), `beforeSdk` right before the SDK flushes and stops (a cluster worker's last snapshot),
 * `end` after it.
 */
export function onShutdown(phase: ShutdownPhase, step: ShutdownStep): void {
  getState().shutdown.steps[phase].push(step);
}

/** True from the moment shutdown() starts. */
export function isShuttingDown(): boolean {
  return getState().shutdown.shuttingDown;
}

/**
 * Graceful shutdown: readiness turns 503 at once, wait MONITORING_SHUTDOWN_DELAY_MS so load
 * balancers notice (the server keeps answering), flush traces, metrics and logs, then close
 * the server. Bounded by MONITORING_SHUTDOWN_TIMEOUT_MS. Idempotent, once per process.
 */
export function shutdown(): Promise<void> {
  const state = getState().shutdown;
  return (state.running ??= (async () => {
    const s = getState();
    state.shuttingDown = true;
    const { shutdownTimeoutMs: timeoutMs, shutdownDelayMs: delayMs } = getConfig().monitoring;
    const sequence = (async () => {
      for (const step of state.steps.begin) await step();
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      for (const step of state.steps.beforeSdk) {
        try {
          await step();
        } catch {
          // Best effort: the SDK's own flush below must still run.
        }
      }
      const sdk = s.sdk.instance;
      if (sdk) await sdk.shutdown();
      for (const step of state.steps.end) await step();
      const endpoints = s.server.endpoints;
      if (endpoints) await endpoints.stop();
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      sequence.catch(() => {}),
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  })());
}

/**
 * SIGTERM/SIGINT run the shutdown sequence. The app keeps its signals: when it has its own
 * listeners we never exit for it; when it has none we exit after the sequence (as Node would
 * have at once). A second signal exits immediately.
 */
export function installShutdown(): void {
  const state = getState().shutdown;
  if (state.signalsInstalled) return;
  state.signalsInstalled = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const listener = () => {
      const others = process.listeners(signal).filter((l) => l !== listener);
      if (state.shuttingDown && state.running) {
        if (others.length === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
        return;
      }
      void shutdown().then(() => {
        if (others.length === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    };
    process.on(signal, listener);
  }
}

/** The longest a process that ends on its own waits for its final flush. */
const EXIT_FLUSH_MAX_MS = 2000;

/**
 * A script that ends on its own (the loop empties) gets one final flush of traces, metrics and
 * logs before it exits: the batch processors' and the periodic reader's timers are unref'd, so
 * without it whatever they still held was lost. Bounded by EXIT_FLUSH_MAX_MS (or
 * MONITORING_SHUTDOWN_TIMEOUT_MS when smaller): with the collector down the OTLP exporters retry
 * until their own timeout, and a script that took 10 s to exit would look hung; no orchestrator
 * is waiting on a grace period here, as it is after a signal. Past the bound the process exits
 * with the code it would have had. Not after a signal's sequence, which flushes itself.
 */
export function installExitFlush(): void {
  const state = getState().shutdown;
  if (state.exitFlushInstalled) return;
  state.exitFlushInstalled = true;
  process.once('beforeExit', () => {
    const sdk = getState().sdk.instance;
    if (state.shuttingDown || !sdk) return;
    const timer = setTimeout(() => process.exit(), Math.min(getConfig().monitoring.shutdownTimeoutMs, EXIT_FLUSH_MAX_MS));
    timer.unref();
    void sdk
      .forceFlush()
      .catch(() => {})
      .finally(() => clearTimeout(timer));
  });
}
