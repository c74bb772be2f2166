// An OTLP receiver for tests: @elastic/mockotlpserver (real OTLP protobuf/JSON decoding) on
// 127.0.0.1, collecting what arrives. Helpers flatten spans, log records and metric points.
import { MockOtlpServer } from '@elastic/mockotlpserver';

export async function startOtlpReceiver({ grpc = false } = {}) {
  const received = { traces: [], metrics: [], logs: [] };
  const server = new MockOtlpServer({
    logLevel: 'warn',
    services: grpc ? ['http', 'grpc'] : ['http'],
    httpHostname: '127.0.0.1',
    httpPort: 0,
    grpcHostname: '127.0.0.1',
    grpcPort: 0,
    onTrace: (d) => received.traces.push(d),
    onMetrics: (d) => received.metrics.push(d),
    onLogs: (d) => received.logs.push(d),
  });
  await server.start();
  const url = server.httpUrl.href.replace(/\/$/, '');
  return {
    url,
    /** The OTLP/gRPC endpoint (with `{ grpc: true }`). */
    grpcUrl: grpc ? server.grpcUrl.href.replace(/\/$/, '') : undefined,
    received,
    close: () => server.close(),
    spans: () => flatten(received.traces, 'resourceSpans', 'scopeSpans', 'spans'),
    logRecords: () => flatten(received.logs, 'resourceLogs', 'scopeLogs', 'logRecords'),
    metrics: () => flatten(received.metrics, 'resourceMetrics', 'scopeMetrics', 'metrics'),
  };
}

/** Each leaf item with its resource attributes (as a plain object) and scope name. */
function flatten(requests, rKey, sKey, leafKey) {
  const out = [];
  for (const req of requests) {
    for (const r of req[rKey] ?? []) {
      const resource = attrs(r.resource?.attributes);
      for (const s of r[sKey] ?? []) {
        for (const item of s[leafKey] ?? []) out.push({ item, resource, scope: s.scope?.name });
      }
    }
  }
  return out;
}

/** OTLP KeyValue[] → plain object. */
export function attrs(kvs = []) {
  const o = {};
  for (const kv of kvs) o[kv.key] = anyValue(kv.value);
  return o;
}

function anyValue(v) {
  if (!v) return undefined;
  // Decoded protobuf messages carry defaults on their prototype: look at own fields only.
  const has = (k) => Object.prototype.hasOwnProperty.call(v, k);
  if (has('stringValue')) return v.stringValue;
  if (has('intValue')) return Number(v.intValue);
  if (has('doubleValue')) return v.doubleValue;
  if (has('boolValue')) return v.boolValue;
  if (has('arrayValue')) return (v.arrayValue.values ?? []).map(anyValue);
  if (has('kvlistValue')) return attrs(v.kvlistValue.values);
  return v.stringValue ?? v;
}
