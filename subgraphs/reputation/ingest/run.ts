import type { ListingRecord } from '../domain/listing.ts';
import { FetchError, type FetchResult } from '../fetch/fetcher.ts';
import type { CrawlContext, PageRequest, ParsedItem } from '../sources/types.ts';
import { CrawlStatus, type HttpValidators, initialCrawlState } from '../store/crawl-state.ts';
import type { QuarantinedItem } from '../store/listings.ts';
import { readCheckpoint } from './checkpoint.ts';
import { type DetailItem, readDetails } from './details.ts';
import { finishRun } from './finish.ts';
import { createPageWriter } from './page-writer.ts';
import { parseSafely, vanishedField } from './page-checks.ts';
import type { IngestDependencies, IngestOptions, IngestSummary } from './types.ts';
import { describeError, loginAnswer } from './upstream.ts';

export { DETAIL_MISSING_MARK } from './details.ts';
export { vanishedField } from './page-checks.ts';
export type { IngestDependencies, IngestOptions, IngestSummary, PageProgress } from './types.ts';
export { isLoginPage, loginAnswer } from './upstream.ts';

/**
 * One crawl of one source: page by page, each page's records and quarantined items written in
 * one transaction, then the source's health and checkpoint saved. Whatever goes wrong upstream
 * ends as a status with evidence, never as a crash or a half-written page. Its steps live beside
 * it: types.ts (what a run is given and reports), upstream.ts (login walls, error text),
 * page-checks.ts (guards around a source's pages and parsers), details.ts (detail pages),
 * page-writer.ts (buffered writes), checkpoint.ts and finish.ts (final status, saved crawl state).
 * What is left, about 400 lines, is one concern on purpose: the page loop, whose decisions (skip a
 * failed page, stop and why, how far the checkpoint may advance) share the run's state and read best
 * in one place.
 */

const MAX_ERRORS_KEPT = 20;
const MAX_VALIDATORS = 500;

export async function runIngest(deps: IngestDependencies, options: IngestOptions = {}): Promise<IngestSummary> {
  const { adapter, fetcher, listings, crawlState } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const maxPages = options.maxPages ?? Infinity;
  const detailConcurrency = options.detailConcurrency ?? 4;
  const state = (await crawlState.get(adapter.source)) ?? initialCrawlState(adapter.source);
  const checkpoint = readCheckpoint(state.checkpoint);
  const since =
    options.since !== undefined && options.since !== null
      ? options.since
      : checkpoint
        ? checkpoint.progress - adapter.overlapMs
        : null;
  const context: CrawlContext = {
    baseUrl: deps.baseUrl,
    resolver: deps.resolver,
    since,
    credential: deps.credential ?? null,
  };
  const summary: IngestSummary = {
    source: adapter.source,
    status: CrawlStatus.Ok,
    pages: 0,
    failedPages: 0,
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    quarantined: 0,
    errors: [],
    durationMs: 0,
    stopReason: 'end of feed',
    evidence: null,
    lowConfidenceNames: [],
    lowConfidenceTruncated: false,
  };
  const lowConfidence = new Set<string>();
  const validators: Record<string, HttpValidators> = {};
  let progress: number | null = null;
  let degradedReason: string | null = null;
  let unreachable = false;
  let detailFailures = 0;
  let failedInARow = 0;
  const maxFailedInARow = options.maxConsecutiveFailedPages ?? 3;
  const addError = (message: string) => {
    if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push(message);
    deps.logger?.warn({ source: adapter.source, error: message }, 'ingest error');
  };
  const stop = (status: CrawlStatus, reason: string, evidence: Record<string, unknown>) => {
    summary.status = status;
    summary.stopReason = reason;
    summary.evidence = evidence;
  };

  const allowed = async (url: string): Promise<boolean | 'error'> => {
    if (!adapter.checkRobots) return true;
    try {
      return await fetcher.isAllowedByRobots(url);
    } catch (error) {
      addError(`robots.txt unavailable: ${describeError(error)}`);
      return 'error';
    }
  };

  const fetchDetail = async (request: PageRequest): Promise<FetchResult | Error> => {
    if ((await allowed(request.url)) !== true) return new Error(`robots.txt does not allow ${request.url}`);
    try {
      return await fetcher.fetch({ url: request.url });
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };

  type Fetched =
    | { kind: 'blocked'; permission: false | 'error' }
    | { kind: 'ok'; result: FetchResult; previous: HttpValidators | undefined }
    | { kind: 'failed'; error: unknown };
  // An explicit --since asks to re-read back to that instant: nothing is skipped as "not modified".
  const conditional = (options.conditional ?? true) && (options.since === undefined || options.since === null);
  const fetchPage = async (page: PageRequest): Promise<Fetched> => {
    const permission = await allowed(page.url);
    if (permission !== true) return { kind: 'blocked', permission };
    const previous =
      conditional && adapter.listCarriesState && state.status === CrawlStatus.Ok && (page.method ?? 'GET') === 'GET'
        ? state.validators[page.key ?? page.url]
        : undefined;
    try {
      const result = await fetcher.fetch({
        url: page.url,
        method: page.method,
        body: page.body,
        headers: page.headers,
        etag: previous?.etag,
        lastModified: previous?.lastModified,
      });
      return { kind: 'ok', result, previous };
    } catch (error) {
      return { kind: 'failed', error };
    }
  };
  // Whole pages are buffered and written together once enough records wait: one durable commit
  // (an fsync) per few pages instead of per page. A page is never split across two writes.
  const writeBatchRecords = options.writeBatchRecords ?? 250;
  const { pending, flush } = createPageWriter(deps, now, summary, lowConfidence);
  // Not a clean run: the checkpoint stays where it was, the next crawl re-reads from there.
  const interrupted = (at: PageRequest): boolean => {
    if (!options.signal?.aborted) return false;
    stop(CrawlStatus.Degraded, 'crawl interrupted', {
      url: at.url,
      reason: String(options.signal.reason ?? 'aborted'),
    });
    return true;
  };
  // The next page is fetched while the current one is processed: network and disk overlap.
  let prefetched: { request: PageRequest; promise: Promise<Fetched> } | null = null;

  // A source that cannot be crawled as configured (no token) says so before any request.
  const precondition = adapter.precondition?.(context) ?? null;
  // Its message (how to provide what is missing) is the stop reason, so `sources.lastError` shows it.
  if (precondition)
    stop(CrawlStatus.LoginRequired, precondition.message, { code: precondition.code, message: precondition.message });
  let request: PageRequest | null = precondition ? null : adapter.firstPage(context);
  while (request) {
    if (summary.pages >= maxPages) {
      summary.stopReason = `--max-pages ${maxPages} reached`;
      break;
    }
    if (interrupted(request)) break;
    const fetched: Fetched = await (prefetched?.request === request ? prefetched.promise : fetchPage(request));
    prefetched = null;
    if (interrupted(request)) break;
    if (fetched.kind === 'blocked' && fetched.permission === 'error') {
      unreachable = true;
      stop(CrawlStatus.Degraded, 'robots.txt unavailable', { url: request.url, error: summary.errors.at(-1) });
      break;
    }
    if (fetched.kind === 'blocked') {
      stop(CrawlStatus.BlockedByRobots, 'robots.txt disallows the feed', {
        url: request.url,
        robots: new URL('/robots.txt', request.url).toString(),
      });
      break;
    }
    summary.pages++;
    if (fetched.kind === 'failed') {
      const { error } = fetched;
      const login = loginAnswer(error);
      if (login) {
        stop(CrawlStatus.LoginRequired, 'the source asks for a login', { url: request.url, ...login });
        break;
      }
      summary.failedPages++;
      addError(`page ${request.page}: ${describeError(error)}`);
      const halt =
        error instanceof FetchError && error.status !== null ? adapter.haltOnHttpStatus?.[error.status] : null;
      if (halt) {
        stop(CrawlStatus.Degraded, halt, { url: request.url, error: describeError(error) });
        break;
      }
      if (error instanceof FetchError && error.status === 403) {
        stop(CrawlStatus.Degraded, 'access denied', { url: request.url, error: describeError(error) });
        break;
      }
      // Still told to slow down after our retries: the host wants a pause, not the next page.
      if (error instanceof FetchError && error.status === 429) {
        stop(CrawlStatus.Degraded, 'rate limited by the source', { url: request.url, error: error.message });
        break;
      }
      if (summary.pages === 1) {
        unreachable = true;
        stop(CrawlStatus.Degraded, 'source unreachable', { url: request.url, error: describeError(error) });
        break;
      }
      if (++failedInARow >= maxFailedInARow) {
        stop(CrawlStatus.Degraded, `${failedInARow} pages in a row failed`, {
          url: request.url,
          errors: summary.errors.slice(-failedInARow),
        });
        break;
      }
      request = adapter.skipPage(request, context);
      continue;
    }
    const { result, previous } = fetched;
    if (result.notModified) {
      // An unchanged page may be followed by one whose records changed status (the feed is
      // newest first, a status change does not move an item): walk on to the page it led to,
      // until the pages are older than the re-read window, as a parsed page would.
      if (previous) validators[request.key ?? request.url] = previous;
      if (typeof previous?.newest === 'number') progress = Math.max(progress ?? -Infinity, previous.newest);
      const pastWindow = since !== null && typeof previous?.newest === 'number' && previous.newest < since;
      if (previous?.next && !pastWindow) {
        deps.onPage?.({
          page: request.page,
          fetched: summary.fetched,
          inserted: summary.inserted,
          updated: summary.updated,
          quarantined: summary.quarantined,
        });
        request = adapter.refresh?.({ url: previous.next.url, page: request.page + 1 }, context) ?? {
          url: previous.next.url,
          page: request.page + 1,
        };
        continue;
      }
      summary.stopReason = `page ${request.page} not modified since the last crawl`;
      break;
    }
    const outcome = parseSafely(adapter, result.body, request, context);
    if (
      outcome.kind === 'items' &&
      Object.keys(validators).length < MAX_VALIDATORS &&
      (result.etag || result.lastModified)
    ) {
      const next =
        outcome.next && (outcome.next.method ?? 'GET') === 'GET'
          ? { url: outcome.next.url, page: outcome.next.page }
          : null;
      validators[request.key ?? request.url] = {
        etag: result.etag,
        lastModified: result.lastModified,
        newest: outcome.progress,
        next,
      };
    }
    if (outcome.kind === 'login-required') {
      stop(CrawlStatus.LoginRequired, 'the source asks for a login', {
        url: request.url,
        code: outcome.code,
        message: outcome.message,
      });
      break;
    }
    if (outcome.kind === 'structure-changed') {
      stop(CrawlStatus.Degraded, 'structure change', {
        url: request.url,
        reason: outcome.reason,
        sample: outcome.sample,
      });
      break;
    }
    if (outcome.kind === 'malformed') {
      summary.failedPages++;
      addError(`page ${request.page}: ${outcome.reason}`);
      if (++failedInARow >= maxFailedInARow) {
        stop(CrawlStatus.Degraded, `${failedInARow} pages in a row failed`, {
          url: request.url,
          errors: summary.errors.slice(-failedInARow),
        });
        break;
      }
      request = adapter.skipPage(request, context);
      continue;
    }
    failedInARow = 0;
    summary.fetched += outcome.items.length;
    if (outcome.expectItems && outcome.items.length === 0) {
      stop(CrawlStatus.Degraded, 'structure change', {
        url: request.url,
        reason: 'a page that should hold records parsed to none',
        bytes: result.bytes,
      });
      break;
    }
    const vanished = vanishedField(outcome.items);
    if (outcome.next && !vanished && summary.pages < maxPages)
      prefetched = { request: outcome.next, promise: fetchPage(outcome.next) };
    const quarantine: QuarantinedItem[] = [];
    const pageUrl = request.url;
    const toQuarantine = (item: { externalId: string | null; reason: string; raw: string }) =>
      quarantine.push({
        source: adapter.source,
        externalId: item.externalId,
        reason: item.reason,
        raw: item.raw,
        url: pageUrl,
      });

    // Records whose raw item is unchanged need neither a detail page nor a write.
    const candidates = outcome.items.filter(
      (item): item is Extract<ParsedItem, { kind: 'record' }> => item.kind === 'record',
    );
    const stored = await listings.rawHashes(
      adapter.source,
      candidates.map((item) => item.record.externalId),
    );
    const records: ListingRecord[] = [];
    const enrich: DetailItem[] = [];
    for (const item of outcome.items) {
      if (item.kind === 'invalid') toQuarantine(item);
      else if (item.kind === 'record') {
        if (stored.get(item.record.externalId) === item.record.rawHash) summary.unchanged++;
        else if (item.detail && adapter.applyDetail) enrich.push({ ...item, detail: item.detail });
        else records.push(item.record);
      }
    }
    const needDetail = outcome.items.filter(
      (item): item is Extract<ParsedItem, { kind: 'needs-detail' }> => item.kind === 'needs-detail',
    );
    const details = await readDetails([...enrich, ...needDetail], {
      adapter,
      context,
      concurrency: detailConcurrency,
      fetchDetail,
      addError,
      records,
      toQuarantine,
    });
    detailFailures += details.failures;
    const detailLogin = details.login;
    const detailVanished = details.vanished;
    const detailAttempts = details.attempts;

    pending.records.push(...records);
    pending.quarantine.push(...quarantine);
    summary.quarantined += quarantine.length;
    if (pending.records.length + pending.quarantine.length >= writeBatchRecords || vanished) await flush();
    if (outcome.progress !== null) progress = Math.max(progress ?? -Infinity, outcome.progress);
    deps.onPage?.({
      page: request.page,
      fetched: summary.fetched,
      inserted: summary.inserted,
      updated: summary.updated,
      quarantined: summary.quarantined,
    });

    if (vanished) {
      stop(CrawlStatus.Degraded, 'structure change', {
        url: request.url,
        reason: `required field "${vanished}" vanished from every item on the page`,
        items: outcome.items.length,
      });
      break;
    }
    if (detailLogin) {
      stop(CrawlStatus.LoginRequired, 'the source asks for a login to read detail pages', detailLogin);
      break;
    }
    if (detailVanished && !degradedReason) {
      degradedReason = 'detail structure change';
      summary.evidence = { url: request.url, reason: `detail pages lack "${detailVanished}"`, details: detailAttempts };
    }
    if (!outcome.next && outcome.endReason) summary.stopReason = outcome.endReason;
    request = outcome.next;
  }

  await flush();
  deps.onPage?.({
    page: summary.pages,
    fetched: summary.fetched,
    inserted: summary.inserted,
    updated: summary.updated,
    quarantined: summary.quarantined,
  });
  return finishRun({
    deps,
    options,
    summary,
    state,
    checkpoint,
    progress,
    validators,
    lowConfidence,
    degradedReason,
    detailFailures,
    unreachable,
    startedAt,
    now,
  });
}
