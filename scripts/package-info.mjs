// The package's name and version for the code, from package.json, as a generated module
// (src/package-info.ts, committed so that the tree type-checks without a build). Generated
// rather than read at run time: the ESM build, the CommonJS build and the register bundle sit
// at different depths under dist/, and a constant costs the register start-up nothing.
// Rewritten only when package.json changed, so a build leaves the tree clean.
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const out = new URL('../src/package-info.ts', import.meta.url);
const text =
  '// Generated from package.json by scripts/package-info.mjs (run by `npm run build`); do not edit.\n' +
  `export const PACKAGE_NAME = ${JSON.stringify(pkg.name).replaceAll('"', "'")};\n` +
  `export const PACKAGE_VERSION = ${JSON.stringify(pkg.version).replaceAll('"', "'")};\n`;
let current;
try {
  current = readFileSync(out, 'utf8');
} catch {
  current = undefined;
}
if (current !== text) writeFileSync(out, text);
