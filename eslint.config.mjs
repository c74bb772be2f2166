// ESLint for the whole repository: typescript-eslint's recommended rules everywhere, its strict
// type-aware rules on the package's TypeScript (src/, the status page's browser code included,
// type-checked against its own tsconfig with DOM types). Node globals everywhere but in the
// browser code. Layout is Prettier's (.prettierrc.json): no stylistic rules here.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'coverage/']),
  {
    files: ['**/*.{js,mjs,cjs,ts}', 'register'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Off: the code asserts what its own invariants guarantee (`x!`, also on indexed access,
      // where it states that the index exists), checks and converts what JavaScript callers may
      // pass whatever the types say (`hit === true`, `String(name)`), and uses
      // `() => void promise` and expression-bodied arrows returning void.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unnecessary-boolean-literal-compare': 'off',
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // src/metrics/sdk-enums.ts restates the SDK's const enums as numbers on purpose.
      '@typescript-eslint/no-unsafe-enum-assignment': 'off',
      // Shared instances are kept in the process-wide state and read back with a cast.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // A typed getter (`$<HTMLInputElement>(id)`, `builtin<typeof import('node:x')>(name)`) is the point.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      // An async function that has nothing to await still turns a throw into a rejection, which
      // promise-returning interfaces (MetricProducer.collect) expect.
      '@typescript-eslint/require-await': 'off',
      // The rules' default options, as in recommended-type-checked (strict allows no number in
      // a message).
      '@typescript-eslint/restrict-template-expressions': ['error', {}],
      '@typescript-eslint/restrict-plus-operands': ['error', {}],
    },
  },
  {
    files: ['src/ui/browser/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Functions passed to page.evaluate() (playwright) run in the browser.
    files: ['test/**/*.test.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
