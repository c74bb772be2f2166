import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';

// @opentelemetry/instrumentation-http wraps `http.Server.prototype.emit`. It ignores the
// monitoring server's requests but still enters a context and binds the request and response
// emitters for each one, a third of a probe's cost. Node's http.Server has no `emit` of its
// own (it is EventEmitter's), so giving one server EventEmitter's emit skips the wrapper and
// nothing else. Contract: test/unit/compat/http-server.test.js.

/** `server` dispatches its events without instrumentation-http's wrapper. */
export function bypassHttpInstrumentation(server: Server): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- it becomes the server's own method
  server.emit = EventEmitter.prototype.emit;
}
