import type { Attributes, AttributeValue } from '@opentelemetry/api';

// The facade's series lookup: a trie walked in the call's own key order, one level per
// attribute, so a repeated attribute set costs a few comparisons and allocates nothing.
//
// Layout, for memory: almost every node is reached under one attribute key and most have a
// single child (a unique id's node has one route below it), so a node keeps its first key and
// its first child inline and only allocates a Map for more values or another key. With two Maps
// per node (key → value → node) 100,000 series with unique ids cost ~450 bytes each in the trie
// alone (Node 20, heap delta after GC; bench/heap-per-series.js).

export class TrieNode<S> {
  /** The attribute key of this node's inline child and of `more`: set by the first path through it, never changed. */
  key: string | undefined = undefined;
  /** The inline child's attribute value (never NaN: Map lookups find NaN, `===` does not). */
  value: AttributeValue | undefined = undefined;
  child: TrieNode<S> | undefined = undefined;
  /** Further children under `key`, by value. */
  more: Map<AttributeValue | undefined, TrieNode<S>> | undefined = undefined;
  /** Children under other keys (another key order or attribute set), by key then value. */
  others: Map<string, Map<AttributeValue | undefined, TrieNode<S>>> | undefined = undefined;
  /** The series of the attribute set whose path ends here. */
  series: S | undefined = undefined;
}

/** The series stored under `attrs` walked in their own key order, or undefined. */
export function lookup<S>(root: TrieNode<S>, attrs: Attributes): S | undefined {
  let node: TrieNode<S> | undefined = root;
  for (const k in attrs) {
    const v = attrs[k];
    if (node.key === k) {
      node = node.value === v && node.child !== undefined ? node.child : node.more?.get(v);
    } else {
      node = node.others?.get(k)?.get(v);
    }
    if (node === undefined) return undefined;
  }
  return node.series;
}

/** Stores `s` under `attrs` in their own key order. */
export function insert<S>(root: TrieNode<S>, attrs: Attributes, s: S): void {
  let node = root;
  for (const k in attrs) {
    const v = attrs[k];
    let child: TrieNode<S> | undefined;
    if (node.key === undefined) node.key = k;
    if (node.key === k) {
      child = node.value === v && node.child !== undefined ? node.child : node.more?.get(v);
      if (child === undefined) {
        child = new TrieNode<S>();
        if (node.child === undefined && v === v) {
          node.value = v;
          node.child = child;
        } else {
          (node.more ??= new Map<AttributeValue | undefined, TrieNode<S>>()).set(v, child);
        }
      }
    } else {
      const others = (node.others ??= new Map<string, Map<AttributeValue | undefined, TrieNode<S>>>());
      let byValue = others.get(k);
      if (byValue === undefined) others.set(k, (byValue = new Map<AttributeValue | undefined, TrieNode<S>>()));
      child = byValue.get(v);
      if (child === undefined) byValue.set(v, (child = new TrieNode<S>()));
    }
    node = child;
  }
  node.series = s;
}

/**
 * Removes every path that ends at a series `gone` says is gone, and the nodes left empty
 * (every key order a series was reached by). Returns true when `node` itself is now empty.
 */
export function prune<S>(node: TrieNode<S>, gone: (s: S) => boolean): boolean {
  if (node.series !== undefined && gone(node.series)) node.series = undefined;
  if (node.child !== undefined && prune(node.child, gone)) {
    node.child = undefined;
    node.value = undefined;
  }
  if (node.more !== undefined) {
    pruneMap(node.more, gone);
    if (node.more.size === 0) node.more = undefined;
  }
  if (node.others !== undefined) {
    for (const [k, byValue] of node.others) {
      pruneMap(byValue, gone);
      if (byValue.size === 0) node.others.delete(k);
    }
    if (node.others.size === 0) node.others = undefined;
  }
  return node.series === undefined && node.child === undefined && node.more === undefined && node.others === undefined;
}

function pruneMap<S>(byValue: Map<AttributeValue | undefined, TrieNode<S>>, gone: (s: S) => boolean): void {
  for (const [v, child] of byValue) if (prune(child, gone)) byValue.delete(v);
}

/** How many nodes hang below `node` (tests and memory checks). */
export function countNodes<S>(node: TrieNode<S>): number {
  let n = 1;
  if (node.child !== undefined) n += countNodes(node.child);
  if (node.more !== undefined) for (const c of node.more.values()) n += countNodes(c);
  if (node.others !== undefined) for (const m of node.others.values()) for (const c of m.values()) n += countNodes(c);
  return n;
}
