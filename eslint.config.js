// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

/** Browser globals the engine must never touch: it runs the same in Node and in the page. */
const browserGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
  'HTMLElement',
  'requestAnimationFrame',
].map((name) => ({
  name,
  message: 'src/engine is plain TypeScript with no DOM (see DESIGN.md, "Enforced, not hoped for").',
}));

export default defineConfig(
  {
    ignores: [
      'dist/',
      // per-session e2e builds and results (PODHOP_E2E_DIST, PODHOP_E2E_RESULTS)
      'dist-*/',
      'test-results-*/',
      'node_modules/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      '.library/',
      '.scratch/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    rules: {
      // A leading underscore marks a binding that is unused on purpose, e.g. dropping a key
      // with a rest destructure: `const { ip: _ip, ...rest } = pod`.
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
    files: ['src/ui/**/*.{ts,tsx}', 'src/store/**/*.ts', 'src/main.tsx'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['scripts/**', 'src/cli/**', 'tests/**', '*.config.{js,ts}', '.ci/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'The engine has no React.' },
            { name: 'react-dom', message: 'The engine has no React.' },
            { name: 'zustand', message: 'State lives in src/store, not the engine.' },
          ],
          patterns: [
            { group: ['react/*', 'react-dom/*'], message: 'The engine has no React.' },
            { group: ['zustand/*'], message: 'State lives in src/store, not the engine.' },
            { group: ['@xyflow/*'], message: 'The canvas lives in src/ui, not the engine.' },
            {
              group: ['**/store', '**/store/*', '**/ui', '**/ui/*'],
              message: 'Nothing in src/engine imports from src/store or src/ui.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...browserGlobals],
    },
  },
);
