import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';

const mimeOf = (name: string) => (name.endsWith('.json') ? 'application/json' : 'application/yaml');

/**
 * Files in and out as a person moves them: dropped from the desktop onto the canvas, pasted
 * with Ctrl+V or into the paste dialog, saved by Export.
 */
export class Files {
  constructor(readonly page: Page) {}

  dropTarget(): Locator {
    return this.page.getByTestId('file-drop');
  }

  /**
   * Drags a file from outside the page over the canvas (the drop target shows) and, unless
   * `hold`, lets go. The DataTransfer is built in the page, as the OS would hand it over.
   */
  async drag(name: string, text: string, opts: { hold?: boolean } = {}) {
    const data = await this.page.evaluateHandle(
      ({ name, text, type }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type }));
        return dt;
      },
      { name, text, type: mimeOf(name) },
    );
    const canvas = this.page.getByTestId('canvas');
    await canvas.dispatchEvent('dragenter', { dataTransfer: data });
    await canvas.dispatchEvent('dragover', { dataTransfer: data });
    await expect(this.dropTarget()).toBeVisible();
    if (!opts.hold) {
      await canvas.dispatchEvent('drop', { dataTransfer: data });
      await expect(this.dropTarget()).toHaveCount(0);
    }
    return data;
  }

  /** Puts text on the clipboard and presses Ctrl+V with the focus on no field. */
  async pasteKeys(text: string) {
    await this.page.evaluate(async (t) => {
      await navigator.clipboard.writeText(t);
      (document.activeElement as HTMLElement | null)?.blur();
    }, text);
    await this.page.keyboard.press('ControlOrMeta+V');
  }

  /** Opens the paste dialog from the toolbar (through "⋯" on a narrow screen). */
  async openPasteDialog(): Promise<Locator> {
    const more = this.page.locator('.tb-more-toggle');
    if (await more.isVisible()) await more.click();
    await this.page.getByTestId('import-paste').click();
    const dialog = this.page.getByRole('dialog', { name: 'Paste a cluster or a scenario' });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /**
   * The paste dialog: the text pasted into its box with Ctrl+V, then Import. (Playwright's
   * fill types a 120 KB kubectl List in close to a minute; a paste takes a blink, as for a person.)
   */
  async pasteInDialog(text: string) {
    const dialog = await this.openPasteDialog();
    const box = dialog.getByLabel('Text to import');
    await expect(box).toBeFocused();
    await this.page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await this.page.keyboard.press('ControlOrMeta+V');
    await expect(box).toHaveJSProperty('value', text);
    await dialog.getByTestId('paste-import').click();
    return dialog;
  }

  /** Export JSON or YAML as a person presses it; the file's name and what it holds. */
  async export(format: 'json' | 'yaml'): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId(`export-${format}`).click(),
    ]);
    return {
      name: download.suggestedFilename(),
      text: await readFile(await download.path(), 'utf8'),
    };
  }
}
