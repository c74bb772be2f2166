import { getState } from './state.js';
import { envNumber } from './sdk/env.js';
import type { MonitoringSdk } from './sdk/start.js';
import type { HealthEndpoints } from './http/server.js';

type Step = () => Promise<void> | void;

/** Steps other capabilities add to the shutdown sequence (e.g. readiness turning 503). */
export function onShutdown(phase: 'begin' | 'end', step: Step): void {
  const state = getState();
  const key = phase === 'begin' ? 'shutdownBegin' : 'shutdownEnd';
  ((state[key] as Step[] | undefined) ?? (state[key] = [])) as Step[];
  (state[key] as Step[]).push(step);
}

let running: Promise<void> | undefined;

/**
 * Graceful shutdown: readiness turns 503 at once, wait MONITORING_SHUTDOWN_DELAY_MS so load
 * balancers notice (the server keeps answering), flush traces, metrics and logs, then close
 * the server. Bounded by MONITORING_SHUTDOWN_TIMEOUT_MS. Idempotent.
 */
export function shutdown(): Promise<void> {
  return (running ??= (async () => {
    const state = getState();
    state.shuttingDown = true;
    const timeoutMs = envNumber('MONITORING_SHUTDOWN_TIMEOUT_MS', 10000);
    const delayMs = envNumber('MONITORING_SHUTDOWN_DELAY_MS', 0);
    const sequence = (async () => {
      for (const s of (state.shutdownBegin as Step[] | undefined) ?? []) await s();
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const sdk = state.sdk as MonitoringSdk | undefined;
      if (sdk) await sdk.shutdown();
      for (const s of (state.shutdownEnd as Step[] | undefined) ?? []) await s();
      const endpoints = state.endpoints as HealthEndpoints | undefined;
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
  const state = getState();
  if (state.signalsInstalled) return;
  state.signalsInstalled = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const listener = () => {
      const others = process.listeners(signal).filter((l) => l !== listener);
      if (state.shuttingDown && running) {
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
