import { expect, type Locator, type Page } from '@playwright/test';

/** The lesson panel as a learner uses it: open a lesson, read, predict, play, go on. */
export class LessonPanel {
  constructor(readonly page: Page) {}

  panel(): Locator {
    return this.page.getByTestId('lesson-panel');
  }

  async open(id: 'containers' | 'same-node' | 'cross-node') {
    await this.page.getByTestId(`lesson-open-${id}`).click();
    await expect(this.page.getByTestId('lesson-step')).toHaveText(/^Step 1 of \d+$/);
  }

  async expectStep(n: number, of: number, title: string | RegExp) {
    await expect(this.page.getByTestId('lesson-step')).toHaveText(`Step ${n} of ${of}`);
    await expect(this.page.getByTestId('lesson-step-title')).toHaveText(title);
  }

  async next() {
    await this.page.getByTestId('lesson-next').click();
  }

  async back() {
    await this.page.getByTestId('lesson-prev').click();
  }

  async close() {
    await this.page.getByTestId('lesson-close').click();
  }

  async play() {
    await this.page.getByTestId('lesson-play').click();
  }

  choices(): Locator {
    return this.page.getByTestId('predict-choice');
  }

  choice(text: string): Locator {
    return this.choices().filter({ hasText: text });
  }

  result(): Locator {
    return this.page.getByTestId('predict-result');
  }

  /** Picks a choice and checks the panel's verdict agrees with what it marks as the answer. */
  async answer(text: string, expect_: 'right' | 'wrong') {
    await this.choice(text).click();
    const result = this.result();
    await expect(result).toContainText(
      expect_ === 'right' ? 'Right —' : 'Not quite — the answer is',
    );
    const marked = this.choices().and(this.page.locator('[data-state="right"]'));
    await expect(marked).toHaveCount(1);
    const answer = ((await marked.textContent()) ?? '').trim();
    await expect(result).toContainText(answer);
    if (expect_ === 'right') await expect(this.choice(text)).toHaveAttribute('data-state', 'right');
    else await expect(this.choice(text)).toHaveAttribute('data-state', 'wrong');
  }

  /** Whether the store is playing (read-only hook). */
  async playing(): Promise<boolean> {
    return this.page.evaluate(
      () =>
        (
          window as unknown as { __podhop: { getState: () => { playing: boolean } } }
        ).__podhop.getState().playing,
    );
  }

  async hop(): Promise<number> {
    return this.page.evaluate(
      () =>
        (window as unknown as { __podhop: { getState: () => { hop: number } } }).__podhop.getState()
          .hop,
    );
  }
}
