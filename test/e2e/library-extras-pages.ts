import type { Page } from 'playwright-core';
import { waitForAttr } from './pages';

/** The Library screen's prediction filters, detail extras, type-ahead and virtual grid. */
export class LibraryExtrasPage {
  constructor(readonly page: Page) {}

  async filter(name: 'predicted' | 'correctness', label: string): Promise<void> {
    await this.page.getByTestId(`filter-${name}`).selectOption({ label });
  }

  async confidence(min: string, max: string): Promise<void> {
    await this.page.getByTestId('filter-min-confidence').fill(min);
    await this.page.getByTestId('filter-max-confidence').fill(max);
  }

  /** data-predicted of every grid cell in the DOM. */
  cellPredictions(): Promise<string[]> {
    return this.page
      .getByTestId('grid-cell')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-predicted') ?? ''));
  }

  mispredictedCount(): Promise<number> {
    return this.page.locator('[data-testid="grid-cell"].mispredicted').count();
  }

  /** Types text with no field focused, as a person labelling from the grid does. */
  async typeAhead(text: string): Promise<void> {
    for (const ch of text) await this.page.keyboard.press(ch === ' ' ? 'Space' : ch);
  }

  /**
   * Scrolls the main area to the bottom until every matching image is loaded (the count line
   * stops saying "shown"), then waits for the grid to settle.
   */
  async scrollToEnd(total: number): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await this.page.evaluate(() => {
        const main = document.querySelector('.main');
        if (main !== null) main.scrollTop = main.scrollHeight;
      });
      const loaded = await this.page.evaluate(
        (n) => document.querySelector(`[data-testid="grid-cell"][data-index="${n - 1}"]`) !== null,
        total,
      );
      if (loaded) break;
      await this.page.waitForTimeout(150);
    }
    await waitForAttr(this.page, '[data-testid="image-grid"]', 'data-state', 'ready');
  }

  renderedCells(): Promise<number> {
    return this.page.getByTestId('grid-cell').count();
  }
}
