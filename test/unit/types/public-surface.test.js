// The package's public types (dist/index.d.ts and every declaration file of ours it reaches) use
// no `any`: an inferred any in src/ becomes an explicit one in the emitted declarations, which
// ESLint's no-explicit-any, reading the sources, cannot see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../../helpers.js';

const DIST = path.join(ROOT, 'dist') + path.sep;

test('no any in the declarations reachable from dist/index.d.ts', () => {
  const program = ts.createProgram([path.join(DIST, 'index.d.ts')], { noEmit: true, skipLibCheck: true, types: [] });
  const ours = program.getSourceFiles().filter((f) => path.resolve(f.fileName).startsWith(DIST));
  assert.ok(ours.length > 10, `only ${ours.length} declaration files reached`);
  const found = [];
  for (const file of ours) {
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        found.push(`${path.relative(ROOT, file.fileName)}:${line + 1}: ${file.text.split('\n')[line].trim()}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  assert.deepEqual(found, []);
});
