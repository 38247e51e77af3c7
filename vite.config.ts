import { defineConfig } from 'vitest/config';

// No @vitejs/plugin-react: Vite's built-in Oxc transform compiles .tsx with the automatic
// JSX runtime (react/jsx-runtime), which is all the app needs. Fast Refresh is not wired.
export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  test: {
    include: ['tests/engine/**/*.test.ts', 'tests/oracle/**/*.test.ts', 'tests/store/**/*.test.ts'],
    environment: 'node',
  },
});
