import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prometheusName, unitSuffix, sanitizeMetricName } from '../../dist/metrics/names.js';

test('OTel → Prometheus names follow the compatibility spec', () => {
  assert.equal(prometheusName('http.requests.total', '', 'counter'), 'http_requests_total');
  assert.equal(prometheusName('http.requests', '', 'counter'), 'http_requests_total');
  assert.equal(prometheusName('http.server.request.duration', 's', 'histogram'), 'http_server_request_duration_seconds');
  assert.equal(prometheusName('request.duration.ms', 'ms', 'histogram'), 'request_duration_ms_milliseconds');
  assert.equal(prometheusName('memory.usage.bytes', 'By', 'gauge'), 'memory_usage_bytes');
  assert.equal(prometheusName('cpu.utilization', '1', 'gauge'), 'cpu_utilization_ratio');
  assert.equal(prometheusName('queue.depth', '{item}', 'gauge'), 'queue_depth');
  assert.equal(prometheusName('throughput', 'By/s', 'gauge'), 'throughput_bytes_per_second');
  assert.equal(prometheusName('network.io', 'By', 'counter'), 'network_io_bytes_total');
  assert.equal(prometheusName('bytes.sent', 'By', 'counter'), 'bytes_sent_bytes_total');
  assert.equal(sanitizeMetricName('2xx.count'), '_2xx_count');
  assert.equal(unitSuffix('{request}/s', false), 'per_second');
});
