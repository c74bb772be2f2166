// The trees the flame graph draws, from the DevTools formats /debug/pprof serves: a
// `.cpuprofile` (V8's call tree with samples and their time deltas) or a `.heapprofile` (V8's
// allocation tree with bytes per node). Both are already call trees: a node is one function in
// one calling context, so only the values need adding up.
import type { CpuProfileJson, HeapNodeJson } from './types.js';

export interface Frame {
  name: string;
  /** Script URL and 1-based line, or '' for V8's own frames such as (garbage collector). */
  where: string;
  /** app, deps (node_modules), node (Node's own JS), v8 ((program), (garbage collector), ...). */
  kind: 'app' | 'deps' | 'node' | 'v8';
  self: number;
  total: number;
  children: Frame[];
}

function frameOf(cf: { functionName: string; url: string; lineNumber: number }): Frame {
  const name = cf.functionName || '(anonymous)';
  const url = cf.url || '';
  const kind =
    name.charAt(0) === '(' && !url
      ? 'v8'
      : url.indexOf('/node_modules/') >= 0
        ? 'deps'
        : url.indexOf('node:') === 0 || (!url && name)
          ? 'node'
          : 'app';
  return { name, where: url ? url + ':' + (cf.lineNumber + 1) : '', kind, self: 0, total: 0, children: [] };
}

/** Totals from selves, children largest first; drops empty subtrees. */
function settle(f: Frame): number {
  let total = f.self;
  f.children = f.children.filter((c) => settle(c) > 0);
  f.children.forEach((c) => (total += c.total));
  f.children.sort((a, b) => b.total - a.total);
  f.total = total;
  return total;
}

/** CPU time in milliseconds per node (each sample counts until the next one, as DevTools counts); idle time left out. */
export function cpuTree(p: CpuProfileJson): Frame {
  const frames: Record<number, Frame> = {};
  p.nodes.forEach((n) => (frames[n.id] = frameOf(n.callFrame)));
  let t = p.startTime;
  const times = p.timeDeltas.map((d) => (t += d));
  p.samples.forEach((id, i) => {
    const f = frames[id];
    const next = i + 1 < times.length ? times[i + 1] : p.endTime;
    if (f && f.name !== '(idle)') f.self += Math.max(0, next - times[i]) / 1000;
  });
  p.nodes.forEach((n) => (n.children || []).forEach((c) => frames[c] && frames[n.id].children.push(frames[c])));
  const root = frames[p.nodes[0].id];
  root.name = 'all';
  settle(root);
  return root;
}

/** Bytes still allocated per node. */
export function heapTree(head: HeapNodeJson): Frame {
  const walk = (n: HeapNodeJson): Frame => {
    const f = frameOf(n.callFrame);
    f.self = n.selfSize;
    f.children = n.children.map(walk);
    return f;
  };
  const root = walk(head);
  root.name = 'all';
  settle(root);
  return root;
}
