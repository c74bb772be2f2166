// @opentelemetry/api-logs keeps the global LoggerProvider under this registered symbol (its
// internal GLOBAL_LOGS_API_KEY). `logs.getLoggerProvider()` cannot tell a real provider from
// the API's own proxy (ProxyLoggerProvider is not exported), and reading the symbol works across
// the copies of api-logs in one process (the register bundle's and the app's).
// Contract: test/unit/compat/otel-logs-global.test.js.
const GLOBAL_LOGS_API_KEY = Symbol.for('io.opentelemetry.js.api.logs');

/** Has anyone (register, or the app's own SDK) installed a global LoggerProvider? */
export function globalLoggerProviderSet(): boolean {
  return (globalThis as Record<symbol, unknown>)[GLOBAL_LOGS_API_KEY] !== undefined;
}
