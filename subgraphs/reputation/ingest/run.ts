import type { Logger } from 'pino';
import type { EnterpriseResolver } from '../../../platform/enterprise/identity.ts';
import { IdentityBasis } from '../../../platform/enterprise/identity.ts';
import type { ListingRecord } from '../domain/listing.ts';
import { FetchError, type Fetcher, type FetchResult } from '../fetch/fetcher.ts';
import {
  rawText,
  type CrawlContext,
  type DetailOutcome,
  type PageOutcome,
  type PageRequest,
  type ParsedItem,
  type SourceAdapter,
} from '../sources/types.ts';
import {
  CrawlStatus,
  initialCrawlState,
  type CrawlStateRepository,
  type HttpValidators,
} from '../store/crawl-state.ts';
import type { ListingRepository, OnListingChanges, QuarantinedItem } from '../store/listings.ts';

/**
 * One crawl of one source: page by page, each page's records and quarantined items written in
 * one transaction, then the source's health and checkpoint saved. Whatever goes wrong upstream
 * ends as a status with evidence, never as a crash or a half-written page.
 */

export interface IngestDependencies {
  adapter: SourceAdapter;
  fetcher: Fetcher;
  listings: ListingRepository;
  crawlState: CrawlStateRepository;
  resolver: EnterpriseResolver;
  baseUrl: string;
  /** A credential a person obtained for the source (the 12315 token), passed to the adapter. */
  credential?: string | null;
  /** Statistics hook, run inside each page's write transaction (see ListingRepository.upsertBatch). */
  onChanges?: OnListingChanges;
  onPage?: (progress: PageProgress) => void;
  now?: () => number;
  logger?: Logger;
}

export interface IngestOptions {
  /** Re-read back to this instant (epoch ms) instead of the checkpoint. */
  since?: number | null;
  maxPages?: number;
  /** Detail pages fetched at once (the fetcher's per-host limit still applies). */
  detailConcurrency?: number;
  /** Runs in a row with the source unreachable before DEGRADED becomes DOWN. */
  downAfterFailures?: number;
  /** Send stored ETag / Last-Modified (default true); false re-reads every page. */
  conditional?: boolean;
  /** Write once this many records (and quarantined items) wait, whole pages only (default 250; 1 = every page). */
  writeBatchRecords?: number;
  /** List pages failing in a row before the crawl stops instead of trying the next one (default 3). */
  maxConsecutiveFailedPages?: number;
  /**
   * Aborted when this run no longer owns its source (the scheduler lost the lease): the crawl
   * stops before its next page and leaves the crawl state to the new holder.
   */
  signal?: AbortSignal;
}

export interface PageProgress {
  page: number;
  fetched: number;
  inserted: number;
  updated: number;
  quarantined: number;
}

export interface IngestSummary {
  source: string;
  status: CrawlStatus;
  pages: number;
  failedPages: number;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  errors: string[];
  durationMs: number;
  stopReason: string;
  evidence: Record<string, unknown> | null;
  /** Distinct published names tied to an enterprise by their normalised name only (first 1,000). */
  lowConfidenceNames: string[];
  /** True when more such names were seen than are listed. */
  lowConfidenceTruncated: boolean;
}

/** Suffix on a stored hash when the detail page could not be read: the next run retries it. */
export const DETAIL_MISSING_MARK = '~detail-missing';
const MAX_ERRORS_KEPT = 20;
const MAX_VALIDATORS = 500;
const MAX_LOW_CONFIDENCE_NAMES = 1000;

interface Checkpoint {
  progress: number;
}

function readCheckpoint(text: string | null): Checkpoint | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Checkpoint>;
    return typeof value.progress === 'number' ? { progress: value.progress } : null;
  } catch {
    return null;
  }
}

/**
 * "Required fields vanished across a page": every item on it is invalid and they all lack the
 * same field. One broken record is noise; a whole page missing `cotitle` is a redesign.
 */
export function vanishedField(items: Array<{ kind: string; missingFields?: string[] }>): string | null {
  if (items.length < 2 || items.some((item) => item.kind !== 'invalid')) return null;
  const [first, ...rest] = items.map((item) => item.missingFields ?? []);
  return first.find((field) => rest.every((fields) => fields.includes(field))) ?? null;
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Path segments that are a login step, with any extension dropped (`/sso`, `/oauth2/authorize`). */
const LOGIN_SEGMENTS = new Set(['sso', 'auth', 'passport', 'oauth', 'oauth2', 'authorize', 'cas', 'logbox']);
/** "login" as a word of its own in a segment (`login.html`, `user-login`), not letters inside another (`/blogindex`). */
const LOGIN_WORD = /(?:^|[^a-z])(?:log-?in|log-?on|sign-?in)(?![a-z])/;
/** "Login" as the capitalised part of a compound (`ServiceLogin`, `unifyAccountLogin.do`). */
const LOGIN_COMPOUND = /[a-z0-9](?:Log-?[Ii]n|Log[Oo]n|Sign-?[Ii]n)(?![a-z])/;
/** A host that is a login service (`login.sina.com.cn`, `passport.example.com`). */
const LOGIN_HOST = /^(?:login|passport|sso|signin|auth)\./i;

/**
 * Whether a redirect target is a login page. Matched on whole words, not substrings, so
 * `/authors` or `/news/oauth-explained` are not taken for one.
 */
export function isLoginPage(location: string): boolean {
  const url = URL.parse(location, 'http://relative.invalid');
  if (!url) return false;
  if (LOGIN_HOST.test(url.hostname)) return true;
  return url.pathname.split('/').some((segment) => {
    const lower = segment.toLowerCase();
    return (
      LOGIN_SEGMENTS.has(lower.replace(/\.[a-z0-9]+$/, '')) || LOGIN_WORD.test(lower) || LOGIN_COMPOUND.test(segment)
    );
  });
}

/**
 * How a site tells an anonymous visitor it will not serve a page without a login: 401, or a
 * redirect to a login page. We stop there (redirects are never followed, nothing is bypassed).
 */
export function loginAnswer(error: unknown): { httpStatus: number; location: string | null } | null {
  if (!(error instanceof FetchError) || error.status === null) return null;
  if (error.status === 401) return { httpStatus: 401, location: null };
  const redirect = error.status >= 300 && error.status < 400;
  if (redirect && error.location && isLoginPage(error.location))
    return { httpStatus: error.status, location: error.location };
  return null;
}

function describeError(error: unknown): string {
  if (error instanceof FetchError)
    return `${error.kind}${error.status ? ` ${error.status}` : ''} after ${error.attempts} attempt(s): ${error.url}`;
  return error instanceof Error ? error.message : String(error);
}

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
  const pending: { records: ListingRecord[]; quarantine: QuarantinedItem[] } = { records: [], quarantine: [] };
  const flush = async () => {
    if (pending.records.length === 0 && pending.quarantine.length === 0) return;
    const written = await listings.upsertBatch(pending.records, deps.onChanges, {
      quarantine: pending.quarantine,
      now: now(),
    });
    pending.records = [];
    pending.quarantine = [];
    summary.inserted += written.inserted;
    summary.updated += written.updated;
    summary.unchanged += written.unchanged;
    for (const change of written.changes) {
      if (change.after.enterpriseBasis !== IdentityBasis.Name) continue;
      // Bounded: a long crawl of a source without credit codes must not grow memory with it.
      if (lowConfidence.size < MAX_LOW_CONFIDENCE_NAMES) lowConfidence.add(change.after.enterpriseName);
      else if (!lowConfidence.has(change.after.enterpriseName)) summary.lowConfidenceTruncated = true;
    }
  };
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
    const toQuarantine = (item: { externalId: string | null; reason: string; raw: string }) =>
      quarantine.push({
        source: adapter.source,
        externalId: item.externalId,
        reason: item.reason,
        raw: item.raw,
        url: request!.url,
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
    const enrich: Array<Extract<ParsedItem, { kind: 'record' }>> = [];
    for (const item of outcome.items) {
      if (item.kind === 'invalid') toQuarantine(item);
      else if (item.kind === 'record') {
        if (stored.get(item.record.externalId) === item.record.rawHash) summary.unchanged++;
        else if (item.detail && adapter.applyDetail) enrich.push(item);
        else records.push(item.record);
      }
    }
    const needDetail = outcome.items.filter(
      (item): item is Extract<ParsedItem, { kind: 'needs-detail' }> => item.kind === 'needs-detail',
    );
    let detailAttempts = 0;
    let detailLogin: Record<string, unknown> | null = null;
    const detailInvalid: Array<{ missingFields: string[]; reason: string }> = [];
    await mapLimit([...enrich, ...needDetail], detailConcurrency, async (item) => {
      const detailRequest = item.detail!;
      const base = item.kind === 'record' ? item.record : null;
      const externalId = item.kind === 'record' ? item.record.externalId : item.externalId;
      // Once a detail page asked for a login, no other one is requested.
      if (detailLogin) {
        if (base) records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
        return;
      }
      const page = await fetchDetail(detailRequest);
      detailAttempts++;
      const login = page instanceof Error ? loginAnswer(page) : null;
      if (login) detailLogin ??= { url: detailRequest.url, ...login };
      if (page instanceof Error || page.notModified) {
        detailFailures++;
        addError(`detail ${externalId}: ${page instanceof Error ? describeError(page) : 'unexpected 304'}`);
        // Store what the list said, marked so the next run retries the detail; a post with no
        // list-level facts (needs-detail) waits for the next run instead.
        if (base) records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
        return;
      }
      const detailItem = { externalId, raw: item.kind === 'needs-detail' ? item.raw : null, record: base };
      let applied = applyDetailSafely(adapter, detailItem, page.body, context);
      // The detail page only pointed at the facts (21CN: a JSON call keyed by the page): one more request.
      if (applied.kind === 'follow') {
        const followed = await fetchDetail(applied.request);
        const followLogin = followed instanceof Error ? loginAnswer(followed) : null;
        if (followLogin) detailLogin ??= { url: applied.request.url, ...followLogin };
        if (followed instanceof Error || followed.notModified) {
          detailFailures++;
          addError(`detail ${externalId}: ${followed instanceof Error ? describeError(followed) : 'unexpected 304'}`);
          if (base) records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
          return;
        }
        applied = applyDetailSafely(adapter, detailItem, followed.body, context);
        if (applied.kind === 'follow')
          applied = { kind: 'invalid', reason: 'the detail led to a second indirection', missingFields: [], raw: '' };
      }
      if (applied.kind === 'record') records.push(applied.record);
      else {
        detailInvalid.push(applied);
        if (base) records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
        else toQuarantine({ externalId, reason: applied.reason, raw: applied.raw });
        addError(`detail ${externalId}: ${applied.reason}`);
      }
    });
    const detailVanished =
      detailAttempts >= 2 && detailInvalid.length === detailAttempts
        ? vanishedField(detailInvalid.map((d) => ({ kind: 'invalid', missingFields: d.missingFields })))
        : null;

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
  if (summary.status === CrawlStatus.Ok && (summary.failedPages > 0 || degradedReason || detailFailures > 0)) {
    const reason =
      degradedReason ??
      (summary.failedPages > 0 ? `${summary.failedPages} page(s) failed` : `${detailFailures} detail page(s) failed`);
    summary.status = CrawlStatus.Degraded;
    summary.evidence ??= { reason, errors: summary.errors.slice(0, 5) };
    summary.stopReason = reason;
  }
  const failures = unreachable ? state.consecutiveFailures + 1 : 0;
  if (unreachable && failures >= (options.downAfterFailures ?? 3)) summary.status = CrawlStatus.Down;
  summary.lowConfidenceNames = [...lowConfidence].sort();
  const finishedAt = now();
  summary.durationMs = finishedAt - startedAt;

  // The source's lease went to another instance, which may already have saved a newer state
  // (checkpoint, validators, health): what this run wrote stays (upserts are idempotent); its
  // stale view of the crawl state does not.
  if (options.signal?.aborted) {
    deps.logger?.warn(
      { source: adapter.source, inserted: summary.inserted, updated: summary.updated },
      'ingest interrupted: crawl state left to the lease holder',
    );
    return summary;
  }

  // Advance the checkpoint only over a run that saw every page: a skipped page must be re-read.
  const clean = summary.status === CrawlStatus.Ok;
  const newCheckpoint =
    clean && progress !== null ? Math.max(progress, checkpoint?.progress ?? -Infinity) : (checkpoint?.progress ?? null);
  await crawlState.save(
    {
      ...state,
      status: summary.status,
      checkpoint: newCheckpoint === null ? state.checkpoint : JSON.stringify({ progress: newCheckpoint }),
      validators: clean ? validators : {},
      lastAttemptAt: startedAt,
      lastSuccessAt: clean ? finishedAt : state.lastSuccessAt,
      lastError: clean ? state.lastError : (summary.errors[0] ?? summary.stopReason),
      lastErrorAt: clean ? state.lastErrorAt : finishedAt,
      evidence: clean ? null : JSON.stringify(summary.evidence),
      consecutiveFailures: failures,
    },
    finishedAt,
  );
  deps.logger?.info(
    {
      ...summary,
      errors: summary.errors.length,
      lowConfidenceNames: summary.lowConfidenceNames.length,
      lowConfidenceSample: summary.lowConfidenceNames.slice(0, 20),
    },
    'ingest finished',
  );
  return summary;
}

/**
 * An adapter's parser over a fetched page, which a hostile or broken source controls: whatever it
 * throws becomes a malformed page (counted, skipped, and DEGRADED after several in a row), never
 * an error that ends the run with its buffered records unwritten.
 */
function parseSafely(adapter: SourceAdapter, body: string, request: PageRequest, context: CrawlContext): PageOutcome {
  try {
    return adapter.parsePage(body, request, context);
  } catch (error) {
    return {
      kind: 'malformed',
      reason: `the ${adapter.source} page parser failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The same guard around a detail page: a throw makes the detail invalid, so the list's record is kept and retried. */
function applyDetailSafely(
  adapter: SourceAdapter,
  item: Parameters<NonNullable<SourceAdapter['applyDetail']>>[0],
  body: string,
  context: CrawlContext,
): DetailOutcome {
  try {
    return adapter.applyDetail!(item, body, context);
  } catch (error) {
    return {
      kind: 'invalid',
      reason: `the ${adapter.source} detail parser failed: ${error instanceof Error ? error.message : String(error)}`,
      missingFields: [],
      raw: rawText(body),
    };
  }
}
