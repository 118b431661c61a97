/**
 * Benchmark of the web site in headless Chromium on loopback (`npm run bench:web [runs=10]`):
 * the JavaScript and CSS each page downloads, gzipped (as the gateway sends them to a client
 * accepting only gzip) and brotli (what Chromium receives); first contentful paint of `/` (cold
 * browser cache, median over runs); and the time from pressing "submit" on `/` to the answer list
 * shown, the README's telecom example (median and worst over runs, each on a fresh page).
 * Budgets (issue 16): `/` at most 150 KB of gzipped JavaScript; the answer list within 1 s.
 * Builds the site first when stale, and runs the graph in this process on a temporary data
 * directory with the demo data seeded.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startGateway } from '../gateway/gateway.ts';
import { startOneSubgraph } from '../graph/subgraphs.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import type { RunningSubgraph } from '../platform/server/subgraph-server.ts';
import { buildWeb } from './build-web.ts';
import { launchBrowser } from './chromium.ts';

const RUNS = Number(process.argv[2] ?? 10);
const PAGES = [
  '/',
  '/channels',
  '/channels/miit-telecom',
  '/rankings?industry=ECOMMERCE&window=ALL_TIME',
  '/lists',
  '/sources',
  '/cases/published',
  '/desk',
];
const BUDGET_JS_GZIP_BYTES = 150 * 1024;
const BUDGET_ANSWER_MS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The JS and CSS a page loads, each fetched again to weigh it as gzip and as brotli. */
async function pageWeight(page: Page, origin: string, path: string) {
  const assets = new Set<string>();
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || type === 'stylesheet') assets.add(response.url());
  });
  await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  const weigh = async (url: string, encoding: string) => {
    // The bytes on the wire: fetch decompresses the body, the header still says what was sent.
    const response = await fetch(url, { headers: { 'accept-encoding': encoding } });
    await response.arrayBuffer();
    if (response.headers.get('content-encoding') !== (encoding === 'br' ? 'br' : 'gzip')) {
      throw new Error(`${url} was not sent with ${encoding}`);
    }
    return Number(response.headers.get('content-length'));
  };
  const totals = { jsGzip: 0, jsBrotli: 0, cssGzip: 0, cssBrotli: 0, files: assets.size };
  for (const url of assets) {
    const kind = url.endsWith('.css') ? 'css' : 'js';
    totals[`${kind}Gzip`] += await weigh(url, 'gzip');
    totals[`${kind}Brotli`] += await weigh(url, 'br');
  }
  return totals;
}

async function firstContentfulPaint(page: Page, origin: string): Promise<number> {
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((entries) => {
          const paint = entries.getEntriesByName('first-contentful-paint')[0];
          if (paint) resolve(paint.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}

/** From the click on submit to the answer list in the page, measured inside the page. */
async function timeToAnswer(page: Page, origin: string): Promise<number> {
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await page.selectOption('#field-industry', 'TELECOM');
  await page.selectOption('#field-issueType', 'BILLING');
  await page.fill('#field-occurredOn', '2026-11-01');
  await page.fill('#field-amount', '30');
  await page.check('input[name="contacted"] >> nth=1');
  await page.fill('#field-contactedBusinessOn', '2026-11-10');
  await page.selectOption('#field-businessOutcome', 'NO_REPLY');
  await page.click('.advanced summary');
  await page.fill('#field-asOf', '2026-11-22');
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('.answers [data-channel]')) {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        });
        observer.observe(document.body, { childList: true, subtree: true });
        const started = performance.now();
        document.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      }),
  );
}

const built = await buildWeb();
const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-bench-web-'));
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  // Production refuses the development secrets: the run brings its own.
  AUTH_SECRET: randomBytes(32).toString('hex'),
  WEBHOOK_SIGNING_SECRET: randomBytes(24).toString('hex'),
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  SEED_DEMO: 'true',
  SCHEDULER_ENABLED: 'false',
  CRAWL_ENABLED: 'false',
  HOST: '127.0.0.1',
  // Every page load comes from one loopback address: the per-address rate limit is out of the way.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
});
const logger = createLogger(config.LOG_LEVEL, 'bench-web');
const subgraphs: RunningSubgraph[] = [];
for (const name of ['accounts', 'directory', 'cases', 'reputation'] as const) {
  subgraphs.push(await startOneSubgraph(name, config, logger, 0));
}
const urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<RunningSubgraph['name'], string>;
config.subgraphUrls = urls;
const gateway = await startGateway({ config, logger, host: '127.0.0.1', port: 0, subgraphUrls: urls });
const origin = new URL(gateway.url).origin;
const browser = await launchBrowser();

try {
  console.log(`site: ${built === 'built' ? 'built now' : 'up to date'}; ${RUNS} runs`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, Chromium ${browser.version()}`,
  );
  console.log('\npage                                          JS gzip   JS br     CSS gzip  CSS br    files');
  for (const path of PAGES) {
    const context = await browser.newContext();
    const weight = await pageWeight(await context.newPage(), origin, path);
    await context.close();
    const cells = [weight.jsGzip, weight.jsBrotli, weight.cssGzip, weight.cssBrotli].map((b) => kb(b).padEnd(10));
    console.log(`${path.padEnd(46)}${cells.join('')}${weight.files}`);
    if (path === '/') {
      const verdict = weight.jsGzip <= BUDGET_JS_GZIP_BYTES ? 'within' : 'OVER';
      console.log(`  budget: / loads ${kb(weight.jsGzip)} of gzipped JS, ${verdict} the 150 KB budget`);
    }
  }

  const paints: number[] = [];
  const answers: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    paints.push(await firstContentfulPaint(page, origin));
    answers.push(await timeToAnswer(page, origin));
    await context.close();
  }
  console.log(
    `\nfirst contentful paint of /: median ${median(paints).toFixed(0)} ms, worst ${Math.max(...paints).toFixed(0)} ms`,
  );
  const worst = Math.max(...answers);
  console.log(
    `submit → answer list on /: first ${answers[0].toFixed(0)} ms, median ${median(answers).toFixed(0)} ms, ` +
      `worst ${worst.toFixed(0)} ms (${worst <= BUDGET_ANSWER_MS ? 'within' : 'OVER'} the 1 s budget)`,
  );
} finally {
  await browser.close();
  await gateway.stop();
  for (const subgraph of subgraphs) await subgraph.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
