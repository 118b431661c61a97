/**
 * A real headless Chromium for the browser tests and `npm run bench:web`, driven by playwright-core
 * (which downloads no browser). The browser is CHROME_PATH or the first Chrome/Chromium on PATH,
 * the same places scripts/ensure-chromium.sh looks (npm test runs that script first, and it
 * installs Debian's chromium when none is found).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

export function findChrome(): string {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  for (const name of CANDIDATES) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('No Chrome or Chromium found: run `bash scripts/ensure-chromium.sh`, or set CHROME_PATH.');
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChrome(),
    headless: true,
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** Where failure screenshots go (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Saves a screenshot of `page` named after the test, for a test that failed. */
export async function screenshotOnFailure(page: Page | undefined, testName: string): Promise<string | undefined> {
  if (!page || page.isClosed()) return undefined;
  if (!existsSync(ARTIFACTS_DIR)) mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${testName.replace(/[^\w.-]+/g, '_').slice(0, 100)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
