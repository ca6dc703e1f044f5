import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createClient, type Client } from '../../src/shared/contract/client';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { startHttpBridge } from '../../src/main/server/http-bridge';
import { skipOutsideCi } from '../helpers/ci';

/** Debian's Chromium; LITTLEPLANET_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.LITTLEPLANET_CHROMIUM ?? '/usr/bin/chromium';
const REPO = resolve(__dirname, '../..');
const SCREENSHOTS = join(REPO, 'docs/screenshots');

/** Why the e2e tests cannot run here, or null when they can; in CI a missing Chromium throws. */
export function skipReason(chromiumPath = CHROMIUM): string | null {
  return existsSync(chromiumPath)
    ? null
    : skipOutsideCi(
        `e2e skipped: no Chromium at ${chromiumPath} (apt-get install chromium); never "playwright install".`,
      );
}

let builtDir: string | null = null;

/** Builds the renderer once per test file into a temp folder, exactly as the app ships it. */
export function buildRendererOnce(): string {
  if (builtDir !== null) return builtDir;
  const out = mkdtempSync(join(tmpdir(), 'lp-e2e-renderer-'));
  const run = spawnSync(process.execPath, ['scripts/build-renderer.mjs', '--out-dir', out], {
    cwd: REPO,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`renderer build failed:\n${run.stderr}${run.stdout}`);
  builtDir = out;
  return out;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export type Studio = {
  /** A fresh temp folder for this test; `libraryDir` inside it does not exist yet. */
  tmp: string;
  libraryDir: string;
  url: string;
  token: string;
  /** The same core through the in-process door, to prepare data without clicking. */
  client: Client;
  close: () => Promise<void>;
};

/** A real core and HTTP bridge on a free port, serving the built renderer, one per test. */
export async function startStudio(): Promise<Studio> {
  const staticDir = buildRendererOnce();
  const tmp = mkdtempSync(join(tmpdir(), 'lp-e2e-'));
  const core = new StudioCore({ version: '0.0.0-e2e' });
  const bridge = await startHttpBridge({ core, port: 0, staticDir });
  return {
    tmp,
    libraryDir: join(tmp, 'library'),
    url: bridge.url.replace(/\/$/, ''),
    token: bridge.token,
    client: createClient(inProcessTransport(core)),
    close: async () => {
      await bridge.close();
      await core.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export type OpenedPage = {
  page: Page;
  /** Console errors and CSP violations seen so far; a test ends by asserting there were none. */
  problems: string[];
  close: () => Promise<void>;
};

/** Opens the studio page the way a user does (the printed link with #token) and waits until ready. */
export async function openPage(browser: Browser, studio: Studio): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${studio.url}/#token=${studio.token}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, problems, close: () => context.close() };
}

/** Saves a README screenshot of the page as it is, without the passing toasts. */
export async function screenshot(page: Page, name: string): Promise<string> {
  // Toasts also expire on their own, so a button found a moment ago may be gone: always take the
  // first one still there, for a bounded number of tries.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  for (let i = 0; i < 20 && (await dismiss.count()) > 0; i++) {
    await dismiss
      .first()
      .click({ timeout: 1_000 })
      .catch(() => undefined);
  }
  await page.getByTestId('toasts').locator('.toast').waitFor({ state: 'detached' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path });
  return path;
}
