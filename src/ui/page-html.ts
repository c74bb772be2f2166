/**
 * The status page's HTML shell. Static: every value is filled in by app.js with textContent,
 * so no user data ever goes through an HTML parser. Asset URLs are relative, so the page also
 * works when `HealthEndpoints.handler` is mounted under a prefix in another server.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service status</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="ui/app.css">
<script src="ui/app.js" defer></script>
</head>
<body>
<header class="top">
  <div class="ident"><h1 id="svc-name">Service status</h1><span id="svc-meta" class="muted"></span></div>
  <div class="badges">
    <span class="badge" id="health-badge" data-status="unknown">health: …</span>
    <span class="badge" id="ready-badge" data-status="unknown">readiness: …</span>
    <span class="muted" id="conn"></span>
  </div>
  <nav><a href="#overview">Overview</a><a href="#metrics">Metrics</a><a href="#traces">Traces</a><a href="#profiles" id="nav-profiles" hidden>Profiles</a></nav>
</header>
<div id="auth-banner" class="banner" hidden>
  <strong>Details hidden.</strong> <span id="auth-how"></span>
</div>
<main>
<section id="overview">
  <h2>Health checks</h2>
  <table class="grid" id="health-table"><thead><tr><th>check</th><th>status</th><th>message</th><th>duration</th><th>age</th></tr></thead><tbody></tbody></table>
  <h2>Readiness dependencies</h2>
  <table class="grid" id="ready-table"><thead><tr><th>dependency</th><th>status</th><th>message</th><th>target</th><th>duration</th><th>age</th></tr></thead><tbody></tbody></table>
</section>
<section id="metrics">
  <h2>Metrics <span class="muted" id="metrics-note"></span></h2>
  <input id="metric-filter" type="search" placeholder="filter by name or attribute" autocomplete="off">
  <div class="box"><table class="grid" id="metrics-table"><thead><tr><th>name</th><th>attributes</th><th>type</th><th class="num">value</th><th class="num">rate/s</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th>history</th></tr></thead><tbody></tbody></table></div>
</section>
<section id="traces">
  <h2>Latency by span name <span class="muted">(zPages buckets; click a count for an example trace)</span></h2>
  <div class="scroll"><table class="grid" id="latency-table"><thead></thead><tbody></tbody></table></div>
  <h2>Recent traces <span class="muted" id="traces-note"></span></h2>
  <label class="muted"><input type="checkbox" id="errors-only"> errors only</label>
  <div class="box short"><table class="grid" id="traces-table"><thead><tr><th>started</th><th>root span</th><th class="num">duration</th><th class="num">spans</th><th>status</th><th>trace id</th></tr></thead><tbody></tbody></table></div>
  <div id="trace-detail" hidden>
    <h2>Trace <code id="trace-id"></code></h2>
    <div id="waterfall" class="waterfall"></div>
    <h3>Log lines of this trace</h3>
    <table class="grid" id="trace-logs"><thead><tr><th>time</th><th>level</th><th>message</th><th>span</th><th>fields</th></tr></thead><tbody></tbody></table>
  </div>
</section>
<section id="profiles" hidden>
  <h2>Profiles <span class="muted">(the main thread, on demand: nothing runs until you ask)</span></h2>
  <div class="profile-bar">
    <button type="button" id="cpu-profile">CPU profile</button>
    <button type="button" id="heap-profile">Heap profile</button>
    <label class="muted">for <input id="profile-seconds" type="number" min="1" max="60" step="1" value="10"> s</label>
    <span id="profile-status" class="muted"></span>
  </div>
  <div id="profile-result" hidden>
    <h3 id="profile-title"></h3>
    <div class="profile-links">download: <a id="dl-pprof" download>pprof (go tool pprof, Pyroscope)</a> · <a id="dl-devtools" download></a></div>
    <input id="flame-search" type="search" placeholder="search functions or files" autocomplete="off"> <span id="flame-match" class="muted"></span>
    <div id="flame" class="flame"></div>
    <div id="flame-detail" class="muted mono"></div>
    <div id="operations-box">
      <h3>CPU by operation <span class="muted">(CPU time per span name; a sample counts for the innermost span running at its time)</span></h3>
      <table class="grid" id="operations-table"><thead><tr><th>span name</th><th class="num">CPU</th><th class="num">share</th><th class="num">samples</th><th>example trace</th></tr></thead><tbody></tbody></table>
    </div>
  </div>
</section>
</main>
</body>
</html>
`;
