/**
 * A real headless Chromium, driven by playwright-core (which downloads no browser), for the browser
 * tests and `npm run bench:web`. The browser is CHROME_PATH or the first Chrome/Chromium on PATH,
 * the same places scripts/ensure-chromium.sh looks (npm test runs that script first, and it
 * installs Debian's chromium when none is found).
 */
import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

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
