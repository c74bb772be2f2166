import { APP_TRACES_JS } from './page-js-traces.js';

// The status page script, served as /ui/app.js (the CSP allows no inline script). Plain ES2017,
// no framework, no build step: it ships as text inside the package. Kept free of backticks and
// dollar-brace so it can live in String.raw.
const CORE = String.raw`'use strict';
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
`;

const MAIN = String.raw`function refresh() {
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
`;

/** The whole script, wrapped so that nothing leaks into the global scope. */
export const APP_JS = `(function () {\n${CORE}\n${APP_TRACES_JS}\n${MAIN}\n})();\n`;
