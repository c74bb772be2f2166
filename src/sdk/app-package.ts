import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The app's own package: name and version from the package.json nearest its entry script. */
export interface AppPackage {
  name: string;
  version?: string;
}

/**
 * The nearest package.json above the entry script (process.argv[1]) that has a name; a
 * package.json without one (`{"type": "module"}` in a sub-folder) is passed over. Undefined
 * for `node -e` / the REPL, or when none is found.
 */
export function appPackage(entry: string | undefined = process.argv[1]): AppPackage | undefined {
  if (!entry) return undefined;
  let dir: string;
  try {
    dir = path.dirname(realpathSync(entry));
  } catch {
    dir = path.dirname(path.resolve(entry));
  }
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name === 'string' && pkg.name !== '') {
        return { name: pkg.name, ...(typeof pkg.version === 'string' && pkg.version !== '' ? { version: pkg.version } : {}) };
      }
    } catch {
      // No package.json here (or not JSON): look further up.
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
