import { createHash } from 'node:crypto';
import { resolvePublishedEnterprise } from '../domain/entity-resolution.ts';
import { ListingSource, ListingStatus, type ListingRecord } from '../domain/listing.ts';
import { cleanText, hashRaw, parseTime, samrStatus } from '../domain/normalise.ts';
import {
  isObject,
  itemSafely,
  rawText,
  readId,
  withQuery,
  type CrawlContext,
  type PageOutcome,
  type PageRequest,
  type ParsedItem,
  parseJsonBody,
  type SourceAdapter,
} from './types.ts';

/**
 * A regional 12315 public-results site (`…tsgs.12315.cn/public-web/…`, the one public example is
 * Guangdong's). It publishes finished mediations only, as `{rows: [...]}` paged by an offset
 * within a date range: `id`, `entName`, `creditNo`, `entAddr`, `content`, `res`, `department`,
 * `endtime`. There is no creation time, so `createdAt` is the closing time (`endtime`); there is
 * no reply time either.
 *
 * Every request needs a `token` header that the site hands out after a slider captcha. We never
 * solve captchas: a person obtains a token in a browser and configures it (SOURCE_12315_TOKEN);
 * without one the source is LOGIN_REQUIRED and says how to provide it. The list path and its
 * query parameter names are not in the public evidence (the scraper reads them from its own
 * configuration): ours are stated once here, and the canary reports when the site disagrees.
 */
export const SAMR_PAGE_SIZE = 50;
export const SAMR_MAX_PAGES = 1000;
/** How far back a first crawl reads (the public results are kept for about a year). */
export const SAMR_FIRST_CRAWL_DAYS = 30;
export const SAMR_LIST_PATH = '/complaint/list';
const REQUIRED = ['entName', 'content', 'res', 'endtime'] as const;
const DAY_MS = 24 * 3600_000;

export const SAMR_TOKEN_MISSING =
  'the 12315 regional listing needs a token that a person obtains in a browser (the site gives it ' +
  'after its slider captcha, which we never solve); set SOURCE_12315_TOKEN to that token and run again';

/** A China-local calendar day, YYYY-MM-DD. */
function chinaDay(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 10);
}

export function samrListUrl(
  baseUrl: string,
  range: { from: string; to: string },
  offset: number,
  pageSize = SAMR_PAGE_SIZE,
): string {
  return withQuery(baseUrl, SAMR_LIST_PATH, { startDate: range.from, endDate: range.to, offset, limit: pageSize });
}

function samrRequest(context: CrawlContext, range: { from: string; to: string }, offset: number, page: number) {
  return {
    url: samrListUrl(context.baseUrl, range, offset),
    headers: { token: context.credential ?? '', accept: 'application/json' },
    page,
  } satisfies PageRequest;
}

/** The crawl's date range: from the re-read point (or SAMR_FIRST_CRAWL_DAYS back) to today. */
export function samrRange(context: Pick<CrawlContext, 'since' | 'now'>): { from: string; to: string } {
  const now = (context.now ?? Date.now)();
  return { from: chinaDay(context.since ?? now - SAMR_FIRST_CRAWL_DAYS * DAY_MS), to: chinaDay(now) };
}

function pagingOf(url: string): { range: { from: string; to: string }; offset: number } | null {
  const parsed = URL.parse(url);
  const from = parsed?.searchParams.get('startDate');
  const to = parsed?.searchParams.get('endDate');
  const offset = Number(parsed?.searchParams.get('offset') ?? NaN);
  return from && to && Number.isInteger(offset) ? { range: { from, to }, offset } : null;
}

/**
 * Rows may carry no id of their own: the id is then a digest of the fields that identify one
 * mediation (business, text, closing time, department), stable across re-crawls.
 */
export function samrExternalId(row: Record<string, unknown>): string {
  const own = readId(row.id);
  if (own) return own;
  const key = [row.creditNo, row.entName, row.content, row.endtime, row.department]
    .map((v) => String(v ?? ''))
    .join('\u0001');
  return `h${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

export function normaliseSamrRow(row: unknown, context: CrawlContext): ParsedItem {
  if (!isObject(row))
    return {
      kind: 'invalid',
      externalId: null,
      reason: 'row is not an object',
      missingFields: [...REQUIRED],
      raw: rawText(row),
    };
  const missing = REQUIRED.filter(
    (field) => row[field] === undefined || row[field] === null || String(row[field]).trim() === '',
  );
  // A credit code alone still identifies the business.
  const missingName = missing.includes('entName') && !readId(row.creditNo);
  const blocking = missing.filter((field) => field !== 'entName' || missingName);
  const externalId = samrExternalId(row);
  const invalid = (reason: string): ParsedItem => ({
    kind: 'invalid',
    externalId,
    reason,
    missingFields: blocking,
    raw: rawText(row),
  });
  if (blocking.length > 0) return invalid(`missing ${blocking.join(', ')}`);
  const endedAt = parseTime(row.endtime);
  if (endedAt === null) return invalid(`unreadable endtime ${JSON.stringify(row.endtime)}`);
  const enterprise = resolvePublishedEnterprise(context.resolver, {
    name: String(row.entName ?? ''),
    creditCode: typeof row.creditNo === 'string' ? row.creditNo : null,
  });
  if (!enterprise) return invalid('business name is empty once cleaned and no valid credit code');
  const rawStatus = String(row.res).trim();
  const status = samrStatus(rawStatus);
  const record: ListingRecord = {
    source: ListingSource.Samr12315,
    externalId,
    url: null,
    enterpriseName: enterprise.displayName || String(row.creditNo),
    enterpriseId: enterprise.id,
    enterpriseBasis: enterprise.basis,
    industry: null,
    title: null,
    issue: cleanText(row.content),
    demand: null,
    amount: null,
    status,
    rawStatus,
    createdAt: endedAt,
    repliedAt: null,
    completedAt: status === ListingStatus.Completed ? endedAt : null,
    satisfaction: null,
    rawHash: hashRaw(row),
  };
  return { kind: 'record', record, detail: null };
}

export function parseSamrPage(body: string, request: PageRequest, context: CrawlContext): PageOutcome {
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { kind: 'malformed', reason: decoded.reason };
  const json = decoded.json;
  if (!isObject(json) || !Array.isArray(json.rows)) {
    const message = isObject(json) ? String(json.msg ?? json.message ?? '') : '';
    if (/token|登录|验证/i.test(message))
      return { kind: 'login-required', code: 'token-rejected', message: `${message}: ${SAMR_TOKEN_MISSING}` };
    return { kind: 'structure-changed', reason: 'no rows array', sample: rawText(body, 500) };
  }
  const rows = json.rows;
  // Public scrapers fetch a new token when rows come back empty: an empty first page with a
  // token is most likely an expired one, and a person has to obtain another.
  if (rows.length === 0 && request.page === 1)
    return {
      kind: 'login-required',
      code: 'token-expired',
      message: `no rows for the whole range: the token has probably expired; ${SAMR_TOKEN_MISSING}`,
    };
  const items = rows.map((row) => itemSafely(row, () => normaliseSamrRow(row, context)));
  const times = items.flatMap((item) => (item.kind === 'record' ? [item.record.createdAt] : []));
  const paging = pagingOf(request.url);
  const total = Number(json.total ?? NaN);
  const nextOffset = (paging?.offset ?? 0) + rows.length;
  const more = Number.isFinite(total) ? nextOffset < total : rows.length >= SAMR_PAGE_SIZE;
  const hasNext = paging !== null && more && rows.length > 0 && request.page < SAMR_MAX_PAGES;
  return {
    kind: 'items',
    items,
    next: hasNext ? samrRequest(context, paging.range, nextOffset, request.page + 1) : null,
    expectItems: request.page === 1,
    progress: times.length ? Math.max(...times) : null,
  };
}

export const samr12315Adapter: SourceAdapter = {
  source: ListingSource.Samr12315,
  checkRobots: true,
  overlapMs: 24 * 3600_000,
  listCarriesState: true,
  precondition: (context) =>
    context.credential ? null : { kind: 'login-required', code: 'token-missing', message: SAMR_TOKEN_MISSING },
  firstPage: (context) => samrRequest(context, samrRange(context), 0, 1),
  parsePage: parseSamrPage,
  skipPage: (failed, context) => {
    const paging = pagingOf(failed.url);
    return paging && failed.page < SAMR_MAX_PAGES
      ? samrRequest(context, paging.range, paging.offset + SAMR_PAGE_SIZE, failed.page + 1)
      : null;
  },
};
