/**
 * Crawls one listing source (or all) into the reputation store, then prints a summary:
 *
 *   npm run ingest -- --source blackcat [--since 2026-01-01] [--max-pages 5]
 *   npm run ingest -- --source all
 *
 * Base URLs come from SOURCE_*_BASE_URL (see scripts/fixture-server.ts for a local demo server).
 * Exit code: 0 when every source ended OK, 1 when one did not, 2 on bad arguments.
 */
import { SingleBar, Presets } from 'cli-progress';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { ListingSource } from '../subgraphs/reputation/domain/listing.ts';
import { parseTime } from '../subgraphs/reputation/domain/normalise.ts';
import type { Fetcher } from '../subgraphs/reputation/fetch/fetcher.ts';
import { createIngestion } from '../subgraphs/reputation/ingest/scheduler.ts';
import type { IngestSummary } from '../subgraphs/reputation/ingest/run.ts';
import { isListingSource } from '../subgraphs/reputation/sources/index.ts';
import type { OnListingChanges } from '../subgraphs/reputation/store/listings.ts';
import { openIngestionStore, type IngestionStore } from '../subgraphs/reputation/store/listings-open.ts';
import { openRollupStore } from '../subgraphs/reputation/store/rollups-open.ts';

export interface IngestCliArguments {
  sources: ListingSource[];
  since: number | null;
  maxPages: number | undefined;
  quiet: boolean;
}

const USAGE =
  `Usage: npm run ingest -- --source <${Object.values(ListingSource).join('|')}|all> [--since ` +
  `YYYY-MM-DD] [--max-pages N] [--quiet]`;

/** Validates the command line; throws an Error whose message says what was wrong and what is accepted. */
export function parseIngestArguments(argv: string[]): IngestCliArguments {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      since: { type: 'string' },
      'max-pages': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.source) throw new Error(`--source is required.\n${USAGE}`);
  const sources =
    values.source === 'all' ? (Object.values(ListingSource) as ListingSource[]) : values.source.split(',');
  for (const source of sources)
    if (!isListingSource(source)) throw new Error(`--source: unknown source "${source}".\n${USAGE}`);
  let since: number | null = null;
  if (values.since !== undefined) {
    since = /^\d{4}-\d{2}-\d{2}$/.test(values.since)
      ? parseTime(values.since)
      : /T/.test(values.since)
        ? parseTime(values.since)
        : null;
    if (since === null)
      throw new Error(
        `--since: expected a date YYYY-MM-DD (China time) or an ISO-8601 instant, got "${values.since}".`,
      );
  }
  let maxPages: number | undefined;
  if (values['max-pages'] !== undefined) {
    maxPages = Number(values['max-pages']);
    if (!Number.isInteger(maxPages) || maxPages < 1)
      throw new Error(`--max-pages: expected a positive integer, got "${values['max-pages']}".`);
  }
  return { sources: sources as ListingSource[], since, maxPages, quiet: values.quiet ?? false };
}

export function formatSummary(summary: IngestSummary): string {
  const lines = [
    `${summary.source}: ${summary.status} (${summary.stopReason})`,
    `  fetched ${summary.fetched}, new ${summary.inserted}, updated ${summary.updated}, ` +
      `unchanged ${summary.unchanged}, quarantined ${summary.quarantined}, errors ${summary.errors.length}, ` +
      `pages ${summary.pages} (${summary.failedPages} failed), time ${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
  if (summary.evidence && summary.status !== 'OK')
    lines.push(`  evidence: ${JSON.stringify(summary.evidence).slice(0, 400)}`);
  for (const error of summary.errors.slice(0, 5)) lines.push(`  error: ${error}`);
  if (summary.lowConfidenceNames.length > 0) {
    const shown = summary.lowConfidenceNames.slice(0, 10).join('、');
    lines.push(
      `  resolved by name only (low confidence, not merged with anything else): ` +
        `${summary.lowConfidenceNames.length}${summary.lowConfidenceTruncated ? '+' : ''}: ` +
        `${shown}${summary.lowConfidenceNames.length > 10 ? ' …' : ''}`,
    );
  }
  return lines.join('\n');
}

/**
 * Runs the crawl. `onChanges` is the statistics hook that keeps the rollups current (the command
 * line passes the statistics slice of the same store);
 * without it the listings are stored and `npm run stats:rebuild` brings the rollups up to date.
 */
export async function runIngestCli(
  args: IngestCliArguments,
  deps: {
    config: Config;
    store?: IngestionStore;
    onChanges?: (store: IngestionStore) => OnListingChanges | undefined;
    out?: (line: string) => void;
    /** Defaults to the polite fetcher built from config (1 request/s per host). */
    fetcher?: Fetcher;
    /** Where the progress bar is drawn (default stderr); drawn only when it is a terminal. */
    progress?: NodeJS.WritableStream & { isTTY?: boolean };
  },
): Promise<IngestSummary[]> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const store = deps.store ?? (await openIngestionStore(deps.config));
  const logger = createLogger(args.quiet ? 'silent' : 'warn', 'ingest');
  const ingestion = createIngestion({
    config: deps.config,
    listings: store.listings,
    crawlState: store.crawlState,
    onChanges: deps.onChanges?.(store),
    logger,
    fetcher: deps.fetcher,
  });
  const summaries: IngestSummary[] = [];
  try {
    for (const source of args.sources) {
      const stream = deps.progress ?? process.stderr;
      const bar =
        args.quiet || !stream.isTTY
          ? null
          : new SingleBar(
              {
                format:
                  `${source} |{bar}| page {page} · {fetched} fetched · {inserted} new · {updated} ` +
                  `updated · {quarantined} quarantined`,
                hideCursor: true,
                stream,
              },
              Presets.shades_classic,
            );
      bar?.start(args.maxPages ?? 50, 0, { page: 0, fetched: 0, inserted: 0, updated: 0, quarantined: 0 });
      const summary = await ingestion.crawl(source, {
        since: args.since,
        maxPages: args.maxPages,
        onPage: (progress) => {
          if (bar && progress.page > bar.getTotal()) bar.setTotal(progress.page + 1);
          bar?.update(progress.page, { ...progress });
        },
      });
      bar?.stop();
      summaries.push(summary);
      out(formatSummary(summary));
    }
  } finally {
    await ingestion.close();
    if (!deps.store) await store.close();
  }
  return summaries;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let args: IngestCliArguments;
  try {
    args = parseIngestArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const config = loadConfig();
  // The statistics rollups follow every write, in the same transaction, as they do in the subgraph.
  const store = await openIngestionStore(config);
  const statistics = await openRollupStore(store);
  let summaries: IngestSummary[];
  try {
    summaries = await runIngestCli(args, { config, store, onChanges: () => statistics.onListingChanges });
  } finally {
    await store.close();
  }
  process.exit(summaries.every((summary) => summary.status === 'OK') ? 0 : 1);
}
