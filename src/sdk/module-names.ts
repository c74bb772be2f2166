import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The package a path inside node_modules belongs to ("@scope/name" or "name") and its directory. */
export function packageOf(file: string): { name: string; root: string } | undefined {
  const f = file.includes('\\') ? file.replace(/\\/g, '/') : file;
  const i = f.lastIndexOf('/node_modules/');
  if (i < 0) return undefined;
  const start = i + 14;
  let end = f.indexOf('/', start);
  if (f.charCodeAt(start) === 64 /* @ */ && end > 0) end = f.indexOf('/', end + 1);
  if (end < 0) return undefined;
  return { name: f.slice(start, end), root: f.slice(0, end) };
}

/** The version in `root`/package.json. */
export function versionAt(root: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The version of the package a file: URL belongs to. */
export function versionOfUrl(url: string): string | undefined {
  try {
    const pkg = packageOf(new URL(url).pathname);
    return pkg && versionAt(pkg.root);
  } catch {
    return undefined;
  }
}

/**
 * The entry of `table` (keyed by module name) a module load belongs to: the request itself ("pg",
 * "dns/promises"), a built-in with its prefix, a bare subpath ("pg/lib/client"), or the absolute
 * path Node's ESM loader passes for a CommonJS package it imports (then with the package's
 * directory). Relative requests come from inside packages already seen: none.
 */
export function match<T>(request: string, table: ReadonlyMap<string, T>): { entry: T; module: string; root?: string } | undefined {
  const exact = table.get(request);
  if (exact !== undefined) return { entry: exact, module: request };
  const c = request.charCodeAt(0);
  if (c === 46 /* . */) return undefined;
  if (path.isAbsolute(request)) {
    const pkg = packageOf(request);
    const entry = pkg && table.get(pkg.name);
    return entry !== undefined && pkg ? { entry, module: pkg.name, root: pkg.root } : undefined;
  }
  if (request.startsWith('node:')) {
    const entry = table.get(request.slice(5));
    return entry !== undefined ? { entry, module: request.slice(5) } : undefined;
  }
  let slash = request.indexOf('/');
  if (c === 64 /* @ */ && slash > 0) slash = request.indexOf('/', slash + 1);
  if (slash < 0) return undefined;
  const name = request.slice(0, slash);
  const entry = table.get(name);
  return entry !== undefined ? { entry, module: name } : undefined;
}
