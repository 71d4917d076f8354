// Lint: typescript-eslint's recommended rules without type information, so it stays fast enough for every CI run.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated code is checked by codegen:check; data, builds and scratch folders are not source.
    ignores: ['dist/**', 'src/generated/**', 'clients/typescript/src/generated/**', 'data/**', 'bench/out/**', '.data/**', '.scratch/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Connectors join the hub's Database and Loaders by declaration merging: `interface Database extends XTables {}`.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // `any` marks deliberate boundaries (GraphQL answers in tests, untyped JSON, Kysely's dynamic tables): about 190 of them.
      '@typescript-eslint/no-explicit-any': 'off',
      // A leading underscore names a value left out on purpose (dropping a key from an object, a loader's unused argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The sandbox's page script runs in the browser (bundled by src/server/sandbox-bundle.ts).
    files: ['sandbox/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
