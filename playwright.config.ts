import { defineConfig } from '@playwright/test';

/**
 * e2e in Debian's Chromium (browser downloads are impossible here): the built
 * app served by `vite preview`, driven like a person through page objects.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Parallel sessions on one machine each pick their own port and build folder
// (PODHOP_E2E_PORT, PODHOP_E2E_DIST); CI uses the defaults.
const port = Number(process.env['PODHOP_E2E_PORT'] ?? 4173);
const dist = process.env['PODHOP_E2E_DIST'] ?? 'dist';

export default defineConfig({
  testDir: 'tests/e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  reporter: [['list']],
  outputDir: process.env['PODHOP_E2E_RESULTS'] ?? 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    permissions: ['clipboard-read', 'clipboard-write'],
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir ${dist}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
