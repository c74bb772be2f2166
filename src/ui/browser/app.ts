// The status page script, served as /ui/app.js (the CSP allows no inline script): no framework;
// scripts/postbuild.mjs bundles this file and its imports into one classic script.
import { $ } from './dom.js';
import { renderLatency } from './latency.js';
import { renderMetrics } from './metrics.js';
import { renderOverview } from './overview.js';
import { initProfiles, showProfiles } from './profiles.js';
import { getJSON, state } from './state.js';
import { renderTraces, selectTrace } from './traces.js';
import type { LatencyReply, MetricsReply, Overview, TracesReply } from './types.js';

/** Fetches everything and renders it, then schedules the next refresh (also after a failure). */
function refresh(): void {
  clearTimeout(state.timer);
  void getJSON<Overview>('api/overview')
    .then((o) => {
      $('conn').textContent = '';
      renderOverview(o.body);
      showProfiles(state.authorized && o.body.ui !== undefined && o.body.ui.profiling === true);
      if (!state.authorized) {
        renderMetrics();
        renderLatency({ buckets: [], rows: [] });
        renderTraces({ traces: [], keptSpans: 0, capacitySpans: 0 });
        return null;
      }
      const q = $<HTMLInputElement>('errors-only').checked ? '&status=error' : '';
      return Promise.all([
        getJSON<MetricsReply>('api/metrics'),
        getJSON<LatencyReply>('api/latency'),
        getJSON<TracesReply>('api/traces?limit=100' + q),
      ]).then((rs) => {
        const m = rs[0].body;
        if (m.authorized) {
          state.metrics = m.series;
          state.totalSeries = m.totalSeries ?? m.series.length;
          state.times = m.times;
          state.sampleMs = m.sampleMs;
        }
        renderMetrics();
        if (rs[1].body.authorized) renderLatency(rs[1].body);
        if (rs[2].body.authorized) renderTraces(rs[2].body);
      });
    })
    .catch(() => {
      $('conn').textContent = 'connection lost; retrying';
    })
    .then(() => {
      document.body.setAttribute('data-loaded', String(Date.now()));
      state.timer = setTimeout(refresh, state.refreshMs);
    });
}

document.addEventListener('DOMContentLoaded', () => {
  $('metric-filter').addEventListener('input', renderMetrics);
  $('errors-only').addEventListener('change', refresh);
  initProfiles();
  const m = /trace=([0-9a-f]{32})/.exec(location.hash);
  if (m) selectTrace(m[1]);
  refresh();
});
