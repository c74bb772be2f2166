import pino, { type DestinationStream, type Logger } from 'pino';

// @opentelemetry/instrumentation-pino patches every pino instance it sees created: it sets
// the instance's private mixin (`pino.symbols.mixinSym`) to add trace_id/span_id, and, when
// logs are sent, its private stream (`pino.symbols.streamSym`) to a multistream that re-parses
// each line for the Logs SDK. pino exports the symbols, not a way to set them.
// Contract: test/unit/compat/pino.test.js.

/**
 * Undo instrumentation-pino on one of our own pino instances: lines go to `stream` only, with
 * no mixin (the StructuredLogger adds the trace fields and emits the OTel record itself, so
 * each record is written once and exported exactly once). The app's own loggers keep the
 * instrumentation. A no-op on an instance the instrumentation did not touch.
 */
export function ownStreamOnly(logger: Logger, stream: DestinationStream): void {
  const symbols = pino.symbols as unknown as Record<string, symbol | undefined>;
  const slots = logger as unknown as Record<symbol, unknown>;
  if (symbols.streamSym && slots[symbols.streamSym] !== stream) slots[symbols.streamSym] = stream;
  if (symbols.mixinSym && slots[symbols.mixinSym] !== undefined) slots[symbols.mixinSym] = undefined;
}
