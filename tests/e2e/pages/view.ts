import type { Locator, Page } from '@playwright/test';
import LZString from 'lz-string';

/** The canvas's zoom, from React Flow's viewport transform. */
export async function canvasZoom(page: Page): Promise<number> {
  const t = await page
    .locator('.react-flow__viewport')
    .evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? NaN);
}

/** Whether a drawn object lies wholly inside the canvas (none of it cut off at an edge). */
export async function wholeInCanvas(page: Page, target: Locator): Promise<boolean> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  const box = await target.boundingBox();
  if (!canvas || !box) return false;
  return (
    box.x >= canvas.x - 1 &&
    box.y >= canvas.y - 1 &&
    box.x + box.width <= canvas.x + canvas.width + 1 &&
    box.y + box.height <= canvas.y + canvas.height + 1
  );
}

/** The rows a share link carries (its `#v2.` hash, lz-string compressed JSON). */
export function rowsOfHash(hash: string): Record<string, unknown[][]> {
  return JSON.parse(LZString.decompressFromEncodedURIComponent(hash.replace(/^#v\d+\./, ''))!);
}

/** A share link on `origin` carrying other rows, laid out as today's links (version 2). */
export const linkTo = (origin: string, rows: unknown) =>
  `${origin}/#v2.${LZString.compressToEncodedURIComponent(JSON.stringify(rows))}`;
