// OTel instrument names and units → Prometheus names (src/metrics/names.ts), per the OTel
// specification's "Prometheus and OpenMetrics Compatibility". (Here rather than under
// test/unit/metrics/, which holds the metrics store's own tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidInstrumentName, prometheusName, sanitizeLabelName, sanitizeMetricName, unitSuffix } from '../../../dist/metrics/names.js';

test('isValidInstrumentName: a letter, then up to 254 of [A-Za-z0-9_.-/]', () => {
  for (const ok of ['a', 'http.server.duration', 'queue/depth', 'A_b-c.d', 'x'.repeat(255)])
    assert.equal(isValidInstrumentName(ok), true, ok);
  for (const bad of ['', '1abc', '_x', 'x'.repeat(256), 'has space', 'émoji', 'a:b', 'a\nb', 42, null, undefined]) {
    assert.equal(isValidInstrumentName(bad), false, String(bad).slice(0, 20));
  }
});

test('prometheusName: dots become underscores, counters end in _total once, units are appended once', () => {
  assert.equal(prometheusName('http.requests.total', '', 'counter'), 'http_requests_total');
  assert.equal(prometheusName('http.requests', '', 'counter'), 'http_requests_total');
  assert.equal(prometheusName('http.server.duration', 's', 'histogram'), 'http_server_duration_seconds');
  assert.equal(prometheusName('http.server.duration.seconds', 's', 'histogram'), 'http_server_duration_seconds');
  assert.equal(prometheusName('bytes.sent', 'By', 'counter'), 'bytes_sent_bytes_total');
  assert.equal(prometheusName('sent.bytes.total', 'By', 'counter'), 'sent_bytes_total');
  assert.equal(prometheusName('cpu.utilization', '1', 'gauge'), 'cpu_utilization_ratio');
  assert.equal(prometheusName('jobs.done', '1', 'counter'), 'jobs_done_total');
  assert.equal(prometheusName('queue.depth', '{messages}', 'gauge'), 'queue_depth');
  assert.equal(prometheusName('seconds', 's', 'gauge'), 'seconds');
});

test('unitSuffix: UCUM words, per-units, annotations, and unknown units sanitised', () => {
  assert.equal(unitSuffix('ms', false), 'milliseconds');
  assert.equal(unitSuffix('KiBy', false), 'kibibytes');
  assert.equal(unitSuffix('Cel', true), 'celsius');
  assert.equal(unitSuffix('%', true), 'percent');
  assert.equal(unitSuffix('By/s', false), 'bytes_per_second');
  assert.equal(unitSuffix('{request}/s', false), 'per_second');
  assert.equal(unitSuffix('m/h', false), 'meters_per_hour');
  assert.equal(unitSuffix('By/', false), 'bytes');
  assert.equal(unitSuffix('{packets}', false), '');
  assert.equal(unitSuffix('req.per-min', false), 'req_per_min');
  assert.equal(unitSuffix('1', true), 'ratio');
  assert.equal(unitSuffix('1', false), '');
  // Units that are names of Object.prototype members are units like any other.
  assert.equal(unitSuffix('constructor', false), 'constructor');
  assert.equal(unitSuffix('By/toString', false), 'bytes_per_toString');
  assert.equal(prometheusName('jobs', 'valueOf', 'gauge'), 'jobs_valueOf');
});

test('sanitizeMetricName / sanitizeLabelName: invalid runs become one "_", no leading digit; ":" only in metric names', () => {
  assert.equal(sanitizeMetricName('a.b-c/d  e'), 'a_b_c_d_e');
  assert.equal(sanitizeMetricName('ns:job.rate'), 'ns:job_rate');
  assert.equal(sanitizeMetricName('9lives'), '_9lives');
  assert.equal(sanitizeMetricName('über__count'), '_ber_count');
  assert.equal(sanitizeLabelName('http.route'), 'http_route');
  assert.equal(sanitizeLabelName('ns:key'), 'ns_key');
  assert.equal(sanitizeLabelName('2xx'), '_2xx');
  for (const name of ['a.b', '9x', 'ns:x', 'é']) assert.match(sanitizeMetricName(name), /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  for (const name of ['a.b', '9x', 'ns:x', 'é']) assert.match(sanitizeLabelName(name), /^[a-zA-Z_][a-zA-Z0-9_]*$/);
});
