// The status page script, served as /ui/app.js (the CSP allows no inline script). Plain ES2017,
// no framework; scripts/postbuild.mjs bundles it into dist/ at build.
'use strict';
// Everything shown is built with createElement + textContent: span names, attributes and
// log messages are user data and never reach an HTML parser.
var S = { refreshMs: 2000, authorized: false, selected: null, metrics: [], times: [], timer: null };

function $(id) { return document.getElementById(id); }
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function td(text, cls) { return el('td', cls, text); }
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function getJSON(path) {
  return fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' }).then(function (r) {
    return r.json().then(function (b) { return { status: r.status, body: b }; });
  });
}
function fmtNum(v) {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  var a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-3)) return v.toExponential(2);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
function fmtMs(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return '–';
  if (ms < 1) return (ms * 1000).toFixed(0) + ' µs';
  if (ms < 1000) return ms.toFixed(ms < 10 ? 2 : 1) + ' ms';
  return (ms / 1000).toFixed(2) + ' s';
}
function fmtAge(s) {
  if (s === undefined || s === null) return '–';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return (s / 60).toFixed(1) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}
function fmtTime(ms) { var d = new Date(ms); return d.toLocaleTimeString('en-GB') + '.' + String(d.getMilliseconds()).padStart(3, '0'); }
function attrText(a) {
  if (a === null || typeof a !== 'object') return a === undefined || a === null ? '' : String(a);
  var keys = Object.keys(a || {});
  return keys.map(function (k) { return k + '=' + (typeof a[k] === 'string' ? a[k] : JSON.stringify(a[k])); }).join(', ');
}
function pill(status) { var p = el('span', 'pill', status); p.setAttribute('data-status', String(status)); return p; }

function sparkline(values) {
  var NS = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', '0 0 140 26');
  svg.setAttribute('preserveAspectRatio', 'none');
  var pts = [];
  var n = values.length;
  var lo = Infinity, hi = -Infinity;
  values.forEach(function (v) { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
  values.forEach(function (v, i) {
    if (v === null) return;
    var x = n > 1 ? (i / (n - 1)) * 138 + 1 : 70;
    var y = hi > lo ? 24 - ((v - lo) / (hi - lo)) * 22 : 13;
    pts.push(x.toFixed(1) + ',' + y.toFixed(1));
  });
  svg.setAttribute('data-points', String(pts.length));
  if (pts.length > 1) {
    var line = document.createElementNS(NS, 'polyline');
    line.setAttribute('points', pts.join(' '));
    svg.appendChild(line);
  }
  var title = document.createElementNS(NS, 'title');
  title.textContent = pts.length + ' samples; min ' + fmtNum(lo) + ', max ' + fmtNum(hi);
  svg.appendChild(title);
  return svg;
}

function renderChecks(tbody, checks, withTarget) {
  clear(tbody);
  var names = Object.keys(checks || {});
  if (names.length === 0) {
    var tr = el('tr'); var c = td('none registered', 'muted'); c.colSpan = withTarget ? 6 : 5; tr.appendChild(c); tbody.appendChild(tr);
    return;
  }
  names.forEach(function (name) {
    var r = checks[name];
    var tr = el('tr');
    tr.setAttribute('data-check', name);
    tr.appendChild(td(name, 'mono'));
    var s = td(); s.appendChild(pill(r.status)); tr.appendChild(s);
    tr.appendChild(td(r.message !== undefined ? r.message : (S.authorized ? '' : 'hidden')));
    if (withTarget) tr.appendChild(td(r.details && r.details.target !== undefined ? String(r.details.target) : '', 'mono'));
    tr.appendChild(td(fmtMs(r.duration_ms), 'num'));
    tr.appendChild(td(fmtAge(r.age_seconds), 'num'));
    tbody.appendChild(tr);
  });
}

function renderOverview(o) {
  S.authorized = o.authorized === true;
  if (o.ui && o.ui.refreshMs) S.refreshMs = o.ui.refreshMs;
  $('auth-banner').hidden = S.authorized;
  $('auth-how').textContent = o.howToAuthorize || '';
  var hb = $('health-badge'); hb.textContent = 'health: ' + o.health.status; hb.setAttribute('data-status', o.health.status);
  var rb = $('ready-badge'); rb.textContent = 'readiness: ' + o.readiness.status; rb.setAttribute('data-status', o.readiness.status);
  if (o.service) {
    $('svc-name').textContent = String(o.service.name);
    document.title = String(o.service.name) + ' — status';
    var meta = [];
    if (o.service.version) meta.push('v' + o.service.version);
    if (o.service.environment) meta.push(String(o.service.environment));
    meta.push('up ' + fmtAge(o.uptimeSeconds));
    $('svc-meta').textContent = meta.join(' · ');
  } else {
    $('svc-meta').textContent = '';
  }
  renderChecks($('health-table').tBodies[0], o.health.checks, false);
  renderChecks($('ready-table').tBodies[0], o.readiness.checks, true);
}

function hiddenRow(tbody, cols) {
  clear(tbody);
  var tr = el('tr'); var c = td('hidden: not authorized', 'muted'); c.colSpan = cols; tr.appendChild(c); tbody.appendChild(tr);
}

function renderMetrics() {
  var tbody = $('metrics-table').tBodies[0];
  if (!S.authorized) { hiddenRow(tbody, 9); return; }
  clear(tbody);
  var f = $('metric-filter').value.trim().toLowerCase();
  var shown = 0;
  S.metrics.forEach(function (m) {
    var attrs = attrText(m.attributes);
    if (f && (m.name + ' ' + attrs).toLowerCase().indexOf(f) < 0) return;
    shown++;
    var tr = el('tr');
    tr.setAttribute('data-metric', m.name);
    var name = td(m.name, 'mono'); name.title = m.description || ''; tr.appendChild(name);
    tr.appendChild(td(attrs, 'attrs'));
    tr.appendChild(td(m.type + (m.unit ? ' (' + m.unit + ')' : '')));
    tr.appendChild(td(m.type === 'histogram' ? fmtNum(m.value) + ' obs' : fmtNum(m.value), 'num'));
    tr.appendChild(td(m.rate === undefined ? '' : fmtNum(m.rate), 'num'));
    tr.appendChild(td(m.type === 'histogram' ? fmtNum(m.p50) : '', 'num'));
    tr.appendChild(td(m.type === 'histogram' ? fmtNum(m.p95) : '', 'num'));
    tr.appendChild(td(m.type === 'histogram' ? fmtNum(m.p99) : '', 'num'));
    var h = td(); h.appendChild(sparkline(m.history || [])); tr.appendChild(h);
    tbody.appendChild(tr);
  });
  $('metrics-note').textContent = '(' + shown + ' of ' + S.metrics.length + ' series; history: ' + S.times.length + ' samples every ' + fmtMs(S.sampleMs) + ')';
}

var KIND = ['internal', 'server', 'client', 'producer', 'consumer'];

function renderLatency(data) {
  var table = $('latency-table');
  var thead = table.tHead, tbody = table.tBodies[0];
  clear(thead); clear(tbody);
  if (!S.authorized) { hiddenRow(tbody, 11); return; }
  var hr = el('tr'); hr.appendChild(el('th', null, 'span name'));
  data.buckets.forEach(function (b) { hr.appendChild(el('th', 'num', b)); });
  hr.appendChild(el('th', 'num', 'errors')); thead.appendChild(hr);
  if (data.rows.length === 0) { var tr0 = el('tr'); var c0 = td('no spans yet', 'muted'); c0.colSpan = 11; tr0.appendChild(c0); tbody.appendChild(tr0); }
  data.rows.forEach(function (row) {
    var tr = el('tr'); tr.setAttribute('data-span-name', row.name);
    tr.appendChild(td(row.name, 'mono'));
    row.counts.forEach(function (n, i) { tr.appendChild(countCell(n, row.samples[i], 'num')); });
    tr.appendChild(countCell(row.errors, row.errorSamples, row.errors ? 'num err' : 'num'));
    tbody.appendChild(tr);
  });
}

function countCell(n, samples, cls) {
  var c = td(null, cls);
  if (n > 0 && samples && samples.length > 0) {
    var b = el('button', 'link', fmtNum(n));
    b.type = 'button';
    b.title = samples.length + ' example trace(s) kept';
    b.addEventListener('click', function () { selectTrace(samples[0]); });
    c.appendChild(b);
  } else c.textContent = n > 0 ? fmtNum(n) : '';
  return c;
}

function renderTraces(data) {
  var tbody = $('traces-table').tBodies[0];
  if (!S.authorized) { hiddenRow(tbody, 6); return; }
  clear(tbody);
  $('traces-note').textContent = '(' + data.traces.length + ' shown; ' + data.keptSpans + ' of max ' + data.capacitySpans + ' spans kept)';
  data.traces.forEach(function (t) {
    var tr = el('tr', 'clickable' + (t.traceId === S.selected ? ' selected' : ''));
    tr.setAttribute('data-trace-id', t.traceId);
    tr.appendChild(td(fmtTime(t.startTimeMs)));
    tr.appendChild(td(t.rootName + (t.complete ? '' : ' (root not ended)'), 'mono'));
    tr.appendChild(td(fmtMs(t.durationMs), 'num'));
    tr.appendChild(td(t.spanCount, 'num'));
    var s = td(); s.appendChild(pill(t.status)); if (t.sampled) s.appendChild(el('span', 'muted', ' example'));
    if (t.partial) s.appendChild(el('span', 'muted', ' partial')); tr.appendChild(s);
    tr.appendChild(td(t.traceId, 'mono muted'));
    tr.addEventListener('click', function () { selectTrace(t.traceId); });
    tbody.appendChild(tr);
  });
}

function selectTrace(id) {
  S.selected = id;
  Array.prototype.forEach.call(document.querySelectorAll('#traces-table tr[data-trace-id]'), function (r) {
    r.classList.toggle('selected', r.getAttribute('data-trace-id') === id);
  });
  getJSON('api/trace?id=' + encodeURIComponent(id)).then(function (r) {
    var box = $('trace-detail');
    box.hidden = false;
    $('trace-id').textContent = id;
    var wf = $('waterfall'); clear(wf);
    var logs = $('trace-logs').tBodies[0]; clear(logs);
    if (r.status !== 200 || !r.body.authorized) {
      wf.appendChild(el('div', 'muted', r.body.message || 'not available'));
      return;
    }
    renderWaterfall(wf, r.body.spans);
    renderLogs(logs, r.body.logs);
    box.scrollIntoView({ block: 'nearest' });
  }).catch(function () { $('conn').textContent = 'connection lost'; });
}

function renderWaterfall(wf, spans) {
  if (spans.length === 0) { wf.appendChild(el('div', 'muted', 'no spans kept for this trace')); return; }
  var byId = {}, kids = {}, roots = [];
  spans.forEach(function (s) { byId[s.spanId] = s; });
  spans.forEach(function (s) {
    if (s.parentSpanId && byId[s.parentSpanId]) (kids[s.parentSpanId] = kids[s.parentSpanId] || []).push(s);
    else roots.push(s);
  });
  var t0 = Infinity, t1 = -Infinity;
  spans.forEach(function (s) { t0 = Math.min(t0, s.startTimeMs); t1 = Math.max(t1, s.startTimeMs + s.durationMs); });
  var total = Math.max(t1 - t0, 1e-6);
  var byStart = function (a, b) { return a.startTimeMs - b.startTimeMs; };
  function row(s, depth) {
    var r = el('div', 'wf-row' + (s.status.code === 2 ? ' error' : ''));
    r.setAttribute('data-span-id', s.spanId);
    r.setAttribute('data-parent-id', s.parentSpanId || '');
    r.setAttribute('data-depth', String(depth));
    var name = el('div', 'wf-name', s.name);
    name.style.paddingLeft = (8 + depth * 16) + 'px';
    name.title = s.name + ' (' + (KIND[s.kind] || s.kind) + (s.scope ? ', ' + s.scope : '') + ')';
    var track = el('div', 'wf-track');
    var bar = el('div', 'wf-bar');
    bar.style.left = (((s.startTimeMs - t0) / total) * 100).toFixed(3) + '%';
    bar.style.width = Math.max((s.durationMs / total) * 100, 0.2).toFixed(3) + '%';
    track.appendChild(bar);
    r.appendChild(name); r.appendChild(track); r.appendChild(el('div', 'wf-dur', fmtMs(s.durationMs)));
    var detail = null;
    r.addEventListener('click', function () {
      if (detail) { detail.remove(); detail = null; return; }
      detail = spanDetail(s, t0);
      r.after(detail);
    });
    wf.appendChild(r);
    (kids[s.spanId] || []).sort(byStart).forEach(function (k) { row(k, depth + 1); });
  }
  roots.sort(byStart).forEach(function (s) { row(s, 0); });
}

function kvTable(obj) {
  var t = el('table', 'grid'); var b = el('tbody'); t.appendChild(b);
  Object.keys(obj || {}).forEach(function (k) {
    var tr = el('tr'); tr.appendChild(td(k, 'mono'));
    var v = obj[k]; tr.appendChild(td(typeof v === 'string' ? v : JSON.stringify(v), 'mono')); b.appendChild(tr);
  });
  return t;
}

function spanDetail(s, t0) {
  var d = el('div', 'wf-detail');
  d.setAttribute('data-detail-for', s.spanId);
  d.appendChild(el('div', 'muted', 'span ' + s.spanId + ' · ' + (KIND[s.kind] || s.kind) + ' · starts +' + fmtMs(s.startTimeMs - t0) +
    ' · status ' + ['unset', 'ok', 'error'][s.status.code] + (s.status.message ? ': ' + s.status.message : '')));
  d.appendChild(el('h3', null, 'Attributes'));
  d.appendChild(kvTable(s.attributes));
  if (s.events.length) d.appendChild(el('h3', null, 'Events'));
  s.events.forEach(function (e) {
    var a = e.attributes || {};
    var box = el('div', e.name === 'exception' ? 'exception' : 'event');
    box.appendChild(el('div', 'mono', '+' + fmtMs(e.timeMs - t0) + ' ' + e.name));
    if (e.name === 'exception') {
      box.appendChild(el('div', null, String(a['exception.type'] || '') + ': ' + String(a['exception.message'] || '')));
      if (a['exception.stacktrace']) box.appendChild(el('pre', null, a['exception.stacktrace']));
    } else if (Object.keys(a).length) box.appendChild(kvTable(a));
    d.appendChild(box);
  });
  return d;
}

function renderLogs(tbody, logs) {
  if (!logs.length) { var tr0 = el('tr'); var c = td('no log lines recorded under this trace', 'muted'); c.colSpan = 5; tr0.appendChild(c); tbody.appendChild(tr0); return; }
  logs.forEach(function (l) {
    var tr = el('tr'); tr.setAttribute('data-log', '1');
    tr.appendChild(td(fmtTime(l.time), 'mono'));
    tr.appendChild(td(l.level, 'lvl-' + String(l.level).toLowerCase()));
    tr.appendChild(td(l.msg, 'log-msg'));
    tr.appendChild(td(l.spanId || '', 'mono muted'));
    var f = {}; Object.keys(l.fields || {}).forEach(function (k) { if (k !== 'trace_id' && k !== 'span_id' && k !== 'trace_flags') f[k] = l.fields[k]; });
    tr.appendChild(td(attrText(f), 'attrs'));
    tbody.appendChild(tr);
  });
}

function refresh() {
  clearTimeout(S.timer);
  getJSON('api/overview').then(function (o) {
    $('conn').textContent = '';
    renderOverview(o.body);
    if (!S.authorized) {
      renderMetrics();
      renderLatency({ buckets: [], rows: [] });
      renderTraces({ traces: [] });
      return null;
    }
    var q = $('errors-only').checked ? '&status=error' : '';
    return Promise.all([getJSON('api/metrics'), getJSON('api/latency'), getJSON('api/traces?limit=100' + q)]).then(function (rs) {
      var m = rs[0].body;
      if (m.authorized) { S.metrics = m.series; S.times = m.times; S.sampleMs = m.sampleMs; }
      renderMetrics();
      if (rs[1].body.authorized) renderLatency(rs[1].body);
      if (rs[2].body.authorized) renderTraces(rs[2].body);
    });
  }).catch(function () {
    $('conn').textContent = 'connection lost; retrying';
  }).then(function () {
    document.body.setAttribute('data-loaded', String(Date.now()));
    S.timer = setTimeout(refresh, S.refreshMs);
  });
}

document.addEventListener('DOMContentLoaded', function () {
  $('metric-filter').addEventListener('input', renderMetrics);
  $('errors-only').addEventListener('change', refresh);
  var m = /trace=([0-9a-f]{32})/.exec(location.hash);
  if (m) selectTrace(m[1]);
  refresh();
});
