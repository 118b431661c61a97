import type { ListingRecord } from '../domain/listing.ts';
import type { FetchResult } from '../fetch/fetcher.ts';
import type { CrawlContext, PageRequest, ParsedItem, SourceAdapter } from '../sources/types.ts';
import { applyDetailSafely, vanishedField } from './page-checks.ts';
import { describeError, loginAnswer } from './upstream.ts';

/**
 * The detail pages of one list page (run.ts): fetched a few at once, each applied to its record
 * (or completing a post the list only announced). A detail that cannot be read keeps the list's
 * record, marked so the next run retries it; a login wall stops further detail requests.
 */

/** Suffix on a stored hash when the detail page could not be read: the next run retries it. */
export const DETAIL_MISSING_MARK = '~detail-missing';

/** A record with a detail page to read, or a post that needs its detail page to be a record. */
export type DetailItem =
  | (Extract<ParsedItem, { kind: 'record' }> & { detail: PageRequest })
  | Extract<ParsedItem, { kind: 'needs-detail' }>;

export interface DetailStep {
  adapter: SourceAdapter;
  context: CrawlContext;
  concurrency: number;
  fetchDetail(request: PageRequest): Promise<FetchResult | Error>;
  addError(message: string): void;
  /** Where completed records go (and list records kept without their detail). */
  records: ListingRecord[];
  toQuarantine(item: { externalId: string | null; reason: string; raw: string }): void;
}

export interface DetailResult {
  /** Detail pages requested. */
  attempts: number;
  /** Of them, unreadable (an error or an unexpected 304). */
  failures: number;
  /** The first login wall met, as evidence; null when none. */
  login: Record<string, unknown> | null;
  /** A field missing from every detail page read (at least two): their structure changed. */
  vanished: string | null;
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

export async function readDetails(items: DetailItem[], step: DetailStep): Promise<DetailResult> {
  let attempts = 0;
  let failures = 0;
  let login: Record<string, unknown> | null = null;
  const invalid: Array<{ missingFields: string[]; reason: string }> = [];
  await mapLimit(items, step.concurrency, async (item) => {
    const detailRequest = item.detail;
    const base = item.kind === 'record' ? item.record : null;
    const externalId = item.kind === 'record' ? item.record.externalId : item.externalId;
    // Once a detail page asked for a login, no other one is requested.
    if (login) {
      if (base) step.records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
      return;
    }
    const page = await step.fetchDetail(detailRequest);
    attempts++;
    const answer = page instanceof Error ? loginAnswer(page) : null;
    if (answer) login ??= { url: detailRequest.url, ...answer };
    if (page instanceof Error || page.notModified) {
      failures++;
      step.addError(`detail ${externalId}: ${page instanceof Error ? describeError(page) : 'unexpected 304'}`);
      // Store what the list said, marked so the next run retries the detail; a post with no
      // list-level facts (needs-detail) waits for the next run instead.
      if (base) step.records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
      return;
    }
    const detailItem = { externalId, raw: item.kind === 'needs-detail' ? item.raw : null, record: base };
    let applied = applyDetailSafely(step.adapter, detailItem, page.body, step.context);
    // The detail page only pointed at the facts (21CN: a JSON call keyed by the page): one more request.
    if (applied.kind === 'follow') {
      const followed = await step.fetchDetail(applied.request);
      const followLogin = followed instanceof Error ? loginAnswer(followed) : null;
      if (followLogin) login ??= { url: applied.request.url, ...followLogin };
      if (followed instanceof Error || followed.notModified) {
        failures++;
        const why = followed instanceof Error ? describeError(followed) : 'unexpected 304';
        step.addError(`detail ${externalId}: ${why}`);
        if (base) step.records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
        return;
      }
      applied = applyDetailSafely(step.adapter, detailItem, followed.body, step.context);
      if (applied.kind === 'follow')
        applied = { kind: 'invalid', reason: 'the detail led to a second indirection', missingFields: [], raw: '' };
    }
    if (applied.kind === 'record') step.records.push(applied.record);
    else {
      invalid.push(applied);
      if (base) step.records.push({ ...base, rawHash: base.rawHash + DETAIL_MISSING_MARK });
      else step.toQuarantine({ externalId, reason: applied.reason, raw: applied.raw });
      step.addError(`detail ${externalId}: ${applied.reason}`);
    }
  });
  const vanished =
    attempts >= 2 && invalid.length === attempts
      ? vanishedField(invalid.map((d) => ({ kind: 'invalid', missingFields: d.missingFields })))
      : null;
  return { attempts, failures, login, vanished };
}
