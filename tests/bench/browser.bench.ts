/**
 * Browser figures for the playground, measured in Debian's Chromium:
 * the gzip size of the built bundle, time to first paint of the seed
 * scenario, and the frame rate while panning a 50-node × 20-pod cluster.
 * Prints figures; never fails on them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { buildNetwork, encodeLink } from '../../src/engine/index';
import { clusterScenario } from '../engine/generate';

const root = join(import.meta.dirname, '..', '..');
const PORT = 4179;

/**
 * What a visitor downloads on open (the entry chunk and its CSS), and what the
 * first terminal loads later (xterm.js is split into its own chunk).
 */
function bundleGzipKb(): { initial: number; lazy: number } {
  const dir = join(root, 'dist', 'assets');
  const html = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
  let initial = 0;
  let lazy = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js') && !f.endsWith('.css')) continue;
    const size = gzipSync(readFileSync(join(dir, f))).length / 1024;
    if (html.includes(f)) initial += size;
    else lazy += size;
  }
  return { initial, lazy };
}

async function waitForServer(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function main() {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('vite build failed');
  const size = bundleGzipKb();
  const server = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
    { cwd: root, stdio: 'ignore', detached: true },
  );
  const base = `http://127.0.0.1:${PORT}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    await waitForServer(base);
    const paints: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(base);
      await page.getByTestId('rf-pod-pod2a').waitFor();
      // the entry is queued once the frame is presented, which may be after the DOM has the pod
      paints.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) => {
                const fcp = list.getEntriesByName('first-contentful-paint')[0];
                if (fcp) resolve(fcp.startTime);
              }).observe({ type: 'paint', buffered: true });
            }),
        ),
      );
      await page.close();
    }
    paints.sort((a, b) => a - b);

    const big = buildNetwork(clusterScenario({ nodes: 50, podsPerNode: 20 }));
    if (!big.ok) throw new Error('generated scenario is invalid');
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}#${encodeLink({ scenario: big.network.scenario })}`);
    await page.getByTestId('canvas').waitFor();
    await page.waitForTimeout(500);
    const box = (await page.getByTestId('canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // a string, not a function: tsx would wrap a named function in helpers the page lacks
    await page.evaluate(`(() => {
      window.__frames = 0;
      window.__counting = true;
      const tick = () => { if (!window.__counting) return; window.__frames++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const start = Date.now();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 0; i < 120; i++)
      await page.mouse.move(cx + Math.sin(i / 10) * 300, cy + Math.cos(i / 10) * 150);
    await page.mouse.up();
    const seconds = (Date.now() - start) / 1000;
    const frames = await page.evaluate<number>(
      '(() => { window.__counting = false; return window.__frames; })()',
    );
    const fps = frames / seconds;
    const mark = (ok: boolean) => (ok ? 'met' : 'missed');
    console.log('podhop browser bench (Debian Chromium, headless, 1440×900)');
    console.table({
      'bundle gzip, loaded on open (JS + CSS)': {
        figure: `${size.initial.toFixed(1)} KB (+ ${size.lazy.toFixed(1)} KB terminal chunk, loaded on first use)`,
        aim: '≤ 250 KB',
        result: mark(size.initial <= 250),
      },
      'first contentful paint, seed (median of 5)': {
        figure: `${paints[2]!.toFixed(0)} ms`,
        aim: '< 1000 ms',
        result: mark(paints[2]! < 1000),
      },
      'panning 50 nodes × 20 pods': {
        figure: `${fps.toFixed(1)} fps (${frames} frames in ${seconds.toFixed(1)} s)`,
        aim: '≥ 50 fps',
        result: mark(fps >= 50),
      },
    });
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
