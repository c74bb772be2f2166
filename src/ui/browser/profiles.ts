// The Profiles section: "CPU profile" and "Heap profile" run one through /debug/pprof (the
// request lasts as long as the profile), then the result is drawn as a flame graph, with
// download links for both formats and, for CPU, the time per operation (span name).
import { $, clear, el, noteRow, td } from './dom.js';
import { cpuTree, heapTree } from './flame-data.js';
import { drawFlame, type FlameView } from './flamegraph.js';
import { fmtMs, fmtNum } from './format.js';
import { getJSON } from './state.js';
import { selectTrace } from './traces.js';
import type { CpuProfileJson, ErrorReply, HeapProfileJson, OperationsReply } from './types.js';

type Kind = 'cpu' | 'heap';
let view: FlameView | undefined;
let running = false;

function fmtBytes(b: number): string {
  if (b < 1024) return b.toFixed(0) + ' B';
  if (b < 1024 * 1024) return (b / 1024).toFixed(1) + ' KiB';
  return (b / 1024 / 1024).toFixed(1) + ' MiB';
}

/** The section and its nav link: only for authorized viewers of a server that serves profiles. */
export function showProfiles(visible: boolean): void {
  $('profiles').hidden = !visible;
  $('nav-profiles').hidden = !visible;
}

function setRunning(on: boolean): void {
  running = on;
  $<HTMLButtonElement>('cpu-profile').disabled = on;
  $<HTMLButtonElement>('heap-profile').disabled = on;
}

function take(kind: Kind): void {
  if (running) return;
  const status = $('profile-status');
  const seconds = Number($<HTMLInputElement>('profile-seconds').value);
  if (!(seconds > 0 && seconds <= 60)) {
    status.textContent = 'seconds must be more than 0 and at most 60';
    return;
  }
  setRunning(true);
  const label = kind === 'cpu' ? 'CPU' : 'heap';
  const until = Date.now() + seconds * 1000;
  const tick = () => (status.textContent = label + ' profile running… ' + Math.max(0, Math.ceil((until - Date.now()) / 1000)) + ' s');
  tick();
  const timer = setInterval(tick, 500);
  const path = kind === 'cpu' ? 'debug/pprof/profile?format=cpuprofile&seconds=' : 'debug/pprof/heap?format=heapprofile&seconds=';
  void fetch(path + encodeURIComponent(String(seconds)), { cache: 'no-store' })
    .then((r) =>
      r.json().then((body: unknown) => {
        if (r.status !== 200) {
          status.textContent = (body as ErrorReply).message || 'the profile failed (' + r.status + ')';
          return;
        }
        status.textContent = '';
        show(kind, r.headers.get('X-Profile-Id') || '', body);
      }),
    )
    .catch(() => (status.textContent = 'connection lost'))
    .then(() => {
      clearInterval(timer);
      setRunning(false);
    });
}

function show(kind: Kind, id: string, body: unknown): void {
  const result = $('profile-result');
  result.hidden = false;
  result.setAttribute('data-kind', kind);
  result.setAttribute('data-profile-id', id);
  const tree = kind === 'cpu' ? cpuTree(body as CpuProfileJson) : heapTree((body as HeapProfileJson).head);
  const fmt = kind === 'cpu' ? fmtMs : fmtBytes;
  $('profile-title').textContent =
    (kind === 'cpu'
      ? 'CPU profile: ' + fmtMs(tree.total) + ' of CPU time'
      : 'Heap profile: ' + fmtBytes(tree.total) + ' allocated during the profile and still alive') +
    ' (profile ' +
    id +
    ')';
  $('flame-detail').textContent = 'hover a frame for its numbers; click to zoom in, click a frame above to zoom out';
  view = drawFlame($('flame'), tree, fmt, $('flame-detail'));
  search();
  const base = 'debug/pprof/latest?id=' + encodeURIComponent(id) + '&format=';
  const pprof = $<HTMLAnchorElement>('dl-pprof');
  pprof.href = base + 'pprof';
  const devtools = $<HTMLAnchorElement>('dl-devtools');
  devtools.href = base + (kind === 'cpu' ? 'cpuprofile' : 'heapprofile');
  devtools.textContent = kind === 'cpu' ? '.cpuprofile (Chrome DevTools)' : '.heapprofile (Chrome DevTools)';
  $('operations-box').hidden = kind !== 'cpu';
  if (kind === 'cpu') {
    void getJSON<OperationsReply>(base + 'operations').then((r) => {
      if (r.status === 200) renderOperations(r.body);
    });
  }
}

/** "CPU by operation": CPU time per span name, each with a link to an example trace. */
function renderOperations(data: OperationsReply): void {
  const tbody = $<HTMLTableElement>('operations-table').tBodies[0];
  clear(tbody);
  if (data.operations.length === 0) noteRow(tbody, 'no CPU time in this profile', 5);
  data.operations.forEach((op) => {
    const tr = el('tr');
    tr.setAttribute('data-operation', op.spanName === null ? '' : op.spanName);
    tr.appendChild(td(op.spanName === null ? '(no span)' : op.spanName, op.spanName === null ? 'mono muted' : 'mono'));
    tr.appendChild(td(fmtMs(op.cpuMs), 'num'));
    tr.appendChild(td((op.share * 100).toFixed(1) + ' %', 'num'));
    tr.appendChild(td(fmtNum(op.samples), 'num'));
    const ex = td(null, 'mono');
    const traceId = op.exampleTraceId;
    if (traceId && op.exampleKept) {
      const b = el('button', 'link', traceId);
      b.type = 'button';
      b.addEventListener('click', () => selectTrace(traceId));
      ex.appendChild(b);
    } else if (traceId) {
      ex.appendChild(el('span', 'muted', traceId + ' (not kept)'));
    }
    tr.appendChild(ex);
    tbody.appendChild(tr);
  });
}

function search(): void {
  const q = $<HTMLInputElement>('flame-search').value;
  const share = view ? view.search(q) : 0;
  $('flame-match').textContent = q.trim() ? 'matching frames: ' + (share * 100).toFixed(1) + ' % of the total' : '';
}

export function initProfiles(): void {
  $('cpu-profile').addEventListener('click', () => take('cpu'));
  $('heap-profile').addEventListener('click', () => take('heap'));
  $('flame-search').addEventListener('input', search);
}
