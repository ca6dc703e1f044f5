import type { Page } from 'playwright-core';

/** Waits until the element's trimmed text equals `expected` (polls in the page, never sleeps). */
export async function waitForText(page: Page, selector: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent?.trim() === text,
      [selector, expected] as const,
      { timeout: 15_000 },
    );
  } catch {
    const actual = await page
      .locator(selector)
      .first()
      .textContent()
      .catch(() => null);
    throw new Error(`${selector}: expected text "${expected}", still "${actual?.trim() ?? '∅'}"`);
  }
}

export async function waitForAttr(
  page: Page,
  selector: string,
  attr: string,
  expected: string,
): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, name, value]) => document.querySelector(sel)?.getAttribute(name) === value,
      [selector, attr, expected] as const,
      { timeout: 15_000 },
    );
  } catch {
    const actual = await page
      .locator(selector)
      .first()
      .getAttribute(attr)
      .catch(() => null);
    throw new Error(`${selector}[${attr}]: expected "${expected}", still "${actual ?? '∅'}"`);
  }
}

export type ViewId =
  | 'library'
  | 'import'
  | 'cities'
  | 'splits'
  | 'collect'
  | 'models'
  | 'train'
  | 'evaluate'
  | 'predict'
  | 'explain'
  | 'geolocate'
  | 'map'
  | 'guess'
  | 'label';

export class Shell {
  constructor(readonly page: Page) {}

  async go(view: ViewId): Promise<void> {
    await this.page.getByTestId(`nav-${view}`).click();
    await this.page.waitForSelector(`main[data-view="${view}"]`);
  }

  /** The sidebar's screen names, in order. */
  navLabels(): Promise<string[]> {
    return this.page.locator('nav[aria-label="Main"] .nav-item').allTextContents();
  }

  /** The status bar's running-jobs count (its data-count attribute). */
  async statusJobs(): Promise<number> {
    return Number(await this.page.getByTestId('status-jobs').getAttribute('data-count'));
  }

  statusLibrary(): Promise<string | null> {
    return this.page.getByTestId('status-library').textContent();
  }

  async lastInfoToast(): Promise<string> {
    const toast = this.page.getByTestId('toast-info').last();
    await toast.waitFor();
    return (await toast.textContent()) ?? '';
  }
}

export class OpenLibraryPage {
  constructor(readonly page: Page) {}

  async submit(dir: string, button: 'Open' | 'Create'): Promise<void> {
    await this.page.getByLabel('Library folder').fill(dir);
    await this.page.getByRole('button', { name: button, exact: true }).click();
  }

  async error(): Promise<string> {
    return (await this.page.getByTestId('open-error').textContent()) ?? '';
  }
}

export class LibraryPage {
  constructor(readonly page: Page) {}

  /** Waits for the grid to settle on `n` matching images. */
  async expectCount(n: number): Promise<void> {
    await waitForAttr(this.page, '[data-testid="match-count"]', 'data-count', String(n));
    await waitForAttr(this.page, '[data-testid="image-grid"]', 'data-state', 'ready');
  }

  async filter(name: 'city' | 'split' | 'labeled' | 'source', label: string): Promise<void> {
    await this.page.getByTestId(`filter-${name}`).selectOption({ label });
  }

  cells() {
    return this.page.getByTestId('grid-cell');
  }

  async click(index: number, modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
    await this.cells().nth(index).click({ modifiers });
  }

  async cellCities(): Promise<string[]> {
    return this.cells().evaluateAll((cells) => cells.map((c) => c.getAttribute('data-city') ?? ''));
  }
}

export class ImportPage {
  constructor(readonly page: Page) {}

  async start(paths: string[], csv = ''): Promise<void> {
    await this.page.getByLabel('Folders or files (one per line)').fill(paths.join('\n'));
    await this.page.getByLabel('CSV manifest (optional)').fill(csv);
    await this.page.getByTestId('import-start').click();
  }

  async waitDone(): Promise<void> {
    await waitForAttr(this.page, '[data-testid="import-status"]', 'data-phase', 'done');
    await this.page.getByTestId('import-report').waitFor();
  }

  async number(key: string): Promise<number> {
    return Number(await this.page.getByTestId(`report-${key}`).textContent());
  }

  /** The error table as [path, reason] rows. */
  errorRows(): Promise<string[][]> {
    return this.page
      .getByTestId('report-error-table')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
  }
}

export class CitiesPage {
  constructor(readonly page: Page) {}

  rows() {
    return this.page.getByTestId('city-row');
  }

  async names(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-city') ?? ''));
  }

  async labeled(city: string): Promise<number> {
    const cell = this.page.locator(
      `[data-testid="city-row"][data-city="${city}"] [data-testid="city-labeled"]`,
    );
    return Number(await cell.textContent());
  }

  async add(city: Record<'name' | 'country' | 'lat' | 'lon' | 'radiusKm', string>): Promise<void> {
    const form = this.page.getByTestId('add-city-form');
    await form.getByLabel('Name').fill(city.name);
    await form.getByLabel('Country').fill(city.country);
    await form.getByLabel('Latitude').fill(city.lat);
    await form.getByLabel('Longitude').fill(city.lon);
    await form.getByLabel('Radius (km)').fill(city.radiusKm);
    await form.getByRole('button', { name: 'Add city' }).click();
  }

  async remove(city: string): Promise<void> {
    await this.page.getByRole('button', { name: `Remove ${city}`, exact: true }).click();
    await this.page
      .getByTestId('confirm-dialog')
      .getByRole('button', { name: 'Remove city' })
      .click();
  }
}

export class SplitsPage {
  constructor(readonly page: Page) {}

  async assign(shares: { train: string; val: string; test: string; seed: string }): Promise<void> {
    const form = this.page.getByTestId('split-form');
    await form.getByLabel('Train %').fill(shares.train);
    await form.getByLabel('Validation %').fill(shares.val);
    await form.getByLabel('Test %').fill(shares.test);
    await form.getByLabel('Seed').fill(shares.seed);
    await this.page.getByTestId('split-run').click();
    await this.page.getByTestId('split-summary').waitFor();
  }

  async summary(): Promise<{ train: number; val: number; test: number }> {
    const read = async (k: string) =>
      Number(await this.page.getByTestId(`split-${k}`).textContent());
    return { train: await read('train'), val: await read('val'), test: await read('test') };
  }

  async waitStats(): Promise<void> {
    await waitForAttr(this.page, '[data-testid="stats"]', 'data-state', 'ready');
  }

  async stat(key: string): Promise<number> {
    return Number(await this.page.getByTestId(`stat-${key}`).textContent());
  }

  /** The per-city table as city → { total, train, val, test }. */
  async perCity(): Promise<Record<string, Record<'total' | 'train' | 'val' | 'test', number>>> {
    return this.page.getByTestId('stats-row').evaluateAll((rows) => {
      const out: Record<string, Record<string, number>> = {};
      for (const row of rows) {
        const cells: Record<string, number> = {};
        for (const td of row.querySelectorAll('td')) {
          cells[td.getAttribute('data-col') ?? '?'] = Number(td.textContent);
        }
        out[row.getAttribute('data-city') ?? '?'] = cells;
      }
      return out;
    });
  }
}
