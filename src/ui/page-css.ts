/** The status page's stylesheet (served as /ui/app.css: the CSP allows no inline style). */
export const PAGE_CSS = `
:root { --bg:#f6f7f9; --fg:#1d232b; --muted:#6b7480; --line:#dde1e6; --card:#fff; --ok:#1f8f4e; --warn:#c08400; --bad:#c62f2f; --accent:#2f6fd6; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--fg); }
.top { position:sticky; top:0; z-index:2; display:flex; flex-wrap:wrap; align-items:center; gap:8px 24px; padding:10px 20px; background:var(--card); border-bottom:1px solid var(--line); }
.ident h1 { display:inline; font-size:18px; margin:0 10px 0 0; }
.badges { display:flex; gap:8px; align-items:center; }
nav { margin-left:auto; display:flex; gap:14px; }
nav a { color:var(--accent); text-decoration:none; font-weight:600; }
main { padding:4px 20px 40px; max-width:1400px; }
h2 { font-size:15px; margin:22px 0 8px; }
h3 { font-size:13px; margin:16px 0 6px; }
.muted { color:var(--muted); font-weight:normal; }
.badge { padding:2px 10px; border-radius:12px; font-weight:600; background:#e6e9ed; }
[data-status=healthy] , [data-status=ready], [data-status=ok] { background:#dff3e6; color:var(--ok); }
[data-status=degraded] { background:#fbefd0; color:var(--warn); }
[data-status=unhealthy], [data-status=not_ready], [data-status=shutting_down], [data-status=error] { background:#f9dede; color:var(--bad); }
.pill { padding:1px 8px; border-radius:10px; font-weight:600; font-size:12px; }
.banner { margin:12px 20px 0; padding:10px 14px; border:1px solid #e7c36b; background:#fff7df; border-radius:6px; }
table.grid { border-collapse:collapse; width:100%; background:var(--card); border:1px solid var(--line); }
.grid th, .grid td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
.grid th { background:#f0f2f5; font-weight:600; white-space:nowrap; }
.grid td.num, .grid th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.grid tr.clickable { cursor:pointer; }
.grid tr.clickable:hover { background:#f3f7ff; }
.grid tr.selected { background:#e7efff; }
.attrs { color:var(--muted); font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; word-break:break-all; }
code, .mono { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; }
#metric-filter { width:320px; padding:5px 8px; margin-bottom:8px; border:1px solid var(--line); border-radius:4px; }
svg.sparkline { width:140px; height:26px; display:block; }
svg.sparkline polyline { fill:none; stroke:var(--accent); stroke-width:1.5; }
.scroll { overflow-x:auto; }
.box { max-height:520px; overflow:auto; border:1px solid var(--line); }
.box.short { max-height:300px; }
.box table.grid { border:none; }
.box th { position:sticky; top:0; }
button.link { background:none; border:none; padding:0; color:var(--accent); cursor:pointer; font:inherit; text-decoration:underline; }
td.err { color:var(--bad); font-weight:600; }
.waterfall { background:var(--card); border:1px solid var(--line); }
.wf-row { display:grid; grid-template-columns:minmax(220px,32%) 1fr 80px; align-items:center; border-bottom:1px solid var(--line); cursor:pointer; }
.wf-row:hover { background:#f3f7ff; }
.wf-name { padding:3px 8px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
.wf-track { position:relative; height:14px; margin:0 8px; background:#f0f2f5; }
.wf-bar { position:absolute; top:0; height:14px; min-width:2px; background:var(--accent); border-radius:2px; }
.wf-row.error .wf-bar { background:var(--bad); }
.wf-row.error .wf-name { color:var(--bad); }
.wf-dur { text-align:right; padding-right:8px; font-variant-numeric:tabular-nums; }
.wf-detail { padding:6px 12px 10px; background:#fafbfc; border-bottom:1px solid var(--line); }
.wf-detail pre { white-space:pre-wrap; margin:4px 0; font-size:12px; max-height:240px; overflow:auto; }
.exception { border-left:3px solid var(--bad); padding-left:8px; margin:6px 0; }
.lvl-error, .lvl-critical { color:var(--bad); font-weight:600; }
.lvl-warning { color:var(--warn); font-weight:600; }
.profile-bar { display:flex; gap:10px; align-items:center; margin-bottom:8px; }
.profile-bar button { padding:4px 12px; font:inherit; font-weight:600; border:1px solid var(--line); border-radius:4px; background:var(--card); cursor:pointer; }
.profile-bar button:disabled { color:var(--muted); cursor:progress; }
#profile-seconds { width:56px; padding:3px 4px; }
.profile-links { margin:4px 0 8px; }
.profile-links a { color:var(--accent); }
#flame-search { width:320px; padding:5px 8px; margin-bottom:6px; border:1px solid var(--line); border-radius:4px; }
.flame { position:relative; background:var(--card); border:1px solid var(--line); overflow:hidden; min-height:18px; }
.fl-frame { position:absolute; height:17px; box-sizing:border-box; border:1px solid rgba(255,255,255,.7); border-radius:2px; padding:0 3px; font-size:11px; line-height:15px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; cursor:pointer; color:#222; }
.fl-frame:hover { filter:brightness(.9); }
.fl-app { background:#f3a55d; }
.fl-deps { background:#e7cf6e; }
.fl-node { background:#9ec3e6; }
.fl-v8 { background:#c9c9c9; }
.fl-frame.match { background:#d45bd4; color:#fff; }
.fl-frame.dim { opacity:.45; }
#flame-detail { min-height:18px; margin:4px 0; white-space:pre-wrap; }
`;
