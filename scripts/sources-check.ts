/**
 * The canary for the real listing sites: one request per source (the first page the crawler
 * would read, never a retry, never a detail page), a short timeout, and a verdict per source on
 * whether the format still matches what the adapter expects.
 *
 *   npm run sources:check [-- --timeout 8000] [--json]
 *
 * Base URLs and the 12315 token come from the same configuration as the crawler
 * (SOURCE_*_BASE_URL, SOURCE_12315_TOKEN). robots.txt is not fetched: the budget is one request,
 * and that request is the page the crawler reads when robots.txt allows it.
 * Exit code: 0 every source matches (or was skipped: no token), 1 a format changed,
 * 3 a source could not be checked (unreachable, blocked, login), 2 bad arguments.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../platform/config.ts';
import { enterpriseResolver } from '../platform/enterprise/aliases.ts';
import { ListingSource } from '../subgraphs/reputation/domain/listing.ts';
import { createFetcher } from '../subgraphs/reputation/fetch/fetcher.ts';
import {
  CanaryVerdict,
  type CanaryResult,
  canaryExitCode,
  verdictOfError,
  verdictOfOutcome,
} from '../subgraphs/reputation/sources/canary.ts';
import { SOURCE_ADAPTERS, sourceBaseUrl, sourceCredential } from '../subgraphs/reputation/sources/index.ts';

/** The public sites; our own cases feed is not a third-party format to watch. */
export const CANARY_SOURCES = [ListingSource.BlackCat, ListingSource.Samr12315, ListingSource.Jutousu];

export async function checkSources(config: Config, options: { timeoutMs?: number } = {}): Promise<CanaryResult[]> {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const fetcher = createFetcher({
    userAgent: config.CRAWL_USER_AGENT,
    retries: 0,
    minTimeMs: 0,
    connectTimeoutMs: Math.min(timeoutMs, 5_000),
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
    totalTimeoutMs: timeoutMs,
  });
  try {
    return await Promise.all(
      CANARY_SOURCES.map(async (source): Promise<CanaryResult> => {
        const started = performance.now();
        const adapter = SOURCE_ADAPTERS[source];
        const context = {
          baseUrl: sourceBaseUrl(config, source),
          resolver: enterpriseResolver(),
          since: null,
          credential: sourceCredential(config, source),
        };
        const elapsed = () => Math.round(performance.now() - started);
        const blocked = adapter.precondition?.(context);
        if (blocked)
          return { source, url: null, verdict: CanaryVerdict.Skipped, detail: blocked.message, items: 0, ms: 0 };
        const request = adapter.firstPage(context);
        // A hard stop on top of the fetcher's own timeouts: the canary never hangs.
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 1_000);
        });
        try {
          const result = await Promise.race([
            fetcher.fetch({ url: request.url, method: request.method, body: request.body, headers: request.headers }),
            deadline,
          ]);
          if (result.notModified) throw new Error('unexpected 304 to an unconditional request');
          const verdict = verdictOfOutcome(adapter.parsePage(result.body, request, context));
          return { source, url: request.url, ...verdict, ms: elapsed() };
        } catch (error) {
          return { source, url: request.url, ...verdictOfError(error), items: 0, ms: elapsed() };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  } finally {
    await fetcher.close();
  }
}

export function formatCanary(results: CanaryResult[]): string {
  return results
    .map((r) => {
      const line = `${r.source.padEnd(9)} ${r.verdict.padEnd(14)} ${r.detail.slice(0, 300)} (${r.ms} ms)`;
      return r.url ? `${line}\n          ${r.url}` : line;
    })
    .join('\n');
}

export function parseCanaryArguments(argv: string[]): { timeoutMs: number; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { timeout: { type: 'string', default: '8000' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const timeoutMs = Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    throw new Error(`--timeout: expected milliseconds from 100 to 60000, got "${values.timeout}".`);
  return { timeoutMs, json: values.json ?? false };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let args: ReturnType<typeof parseCanaryArguments>;
  try {
    args = parseCanaryArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const results = await checkSources(loadConfig(), { timeoutMs: args.timeoutMs });
  console.log(args.json ? JSON.stringify(results, null, 2) : formatCanary(results));
  process.exit(canaryExitCode(results));
}
