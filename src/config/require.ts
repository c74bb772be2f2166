import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_NAME } from '../package-info.js';

// The configuration file's code (src/config/load-file.ts and what it loads: yaml and the
// upstream package) is loaded on demand, always as the CommonJS build's copy, from whichever
// copy asks: the ESM build (no `require`, and no import.meta in the CommonJS compile of the
// same source), the CommonJS build, or the register bundle (where a literal require would
// bundle it into every start). Each finds the package root from its own file: `__filename`
// where it exists, else a structured stack trace (what the `callsites` package does), which
// --enable-source-maps does not rewrite.
declare const __filename: string | undefined;

let root: string | undefined;

function ownFile(): string | undefined {
  if (typeof __filename === 'string') return __filename;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, never called here
  const prepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_e, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    const f = frames[0]?.getFileName() ?? undefined;
    return f?.startsWith('file:') ? new URL(f).pathname : f;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(ownFile() ?? path.join(process.cwd(), 'x'));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === PACKAGE_NAME)
        return (root = dir);
    } catch {
      // no package.json here
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root`);
    dir = up;
  }
}

/**
 * The bundle `dist/lazy/<bundle>` (scripts/postbuild.mjs), else the CommonJS build's module
 * `dist/cjs/<rel>` it is built from (a build without the bundle step, as tsc alone makes).
 */
export function lazyModule<T>(bundle: string, rel: string): T {
  const root = packageRoot();
  const req = createRequire(path.join(root, 'package.json'));
  return (existsSync(path.join(root, 'dist/lazy', bundle)) ? req(`./dist/lazy/${bundle}`) : req(`./dist/cjs/${rel}`)) as T;
}
