import * as cheerio from 'cheerio';
import { createHash, randomInt } from 'node:crypto';
import { resolvePublishedEnterprise } from '../domain/entity-resolution.ts';
import { ListingSource, ListingStatus, type ListingRecord } from '../domain/listing.ts';
import { blackCatStatus, cleanText, hashRaw, parseAmount, parseSatisfaction, parseTime } from '../domain/normalise.ts';
import {
  isObject,
  itemSafely,
  joinUrl,
  publishedLink,
  rawText,
  readId,
  withQuery,
  type CrawlContext,
  type DetailOutcome,
  type PageOutcome,
  type PageRequest,
  type ParsedItem,
  parseJsonBody,
  type SourceAdapter,
} from './types.ts';

/**
 * Black Cat (黑猫投诉, tousu.sina.com.cn). Reads the anonymous feed only; the feed is newest first,
 * ten per page, at most 50 pages. Codes 10005/10017 mean the feed wants a login: we stop there;
 * 10019 means the page does not exist (the feed ends); HTTP 456 means our address is banned
 * (the crawl stops at once). What each rule rests on is in subgraphs/reputation/sources/EVIDENCE.md and the fixtures.
 *
 * The feed is signed the way the site's own page signs it, as public scrapers show: `ts` (epoch
 * ms), `rs` (16 random letters and digits) and `signature`, the sha256 of the sorted values of
 * ts, rs, a fixed salt, type, page_size and page, concatenated.
 */
export const BLACKCAT_PAGE_SIZE = 10;
export const BLACKCAT_MAX_PAGES = 50;
export const BLACKCAT_FEED_TYPE = 1;
export const BLACKCAT_LOGIN_CODES = new Set(['10005', '10017']);
/** "This page does not exist": past the last page the anonymous feed serves. */
export const BLACKCAT_NO_SUCH_PAGE = '10019';
/** The salt of the site's page script, as the public scrapers cited in sources/EVIDENCE.md have it. */
export const BLACKCAT_SIGNATURE_SALT = '$d6eb7ff91ee257475%';
const RS_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REQUIRED = ['sn', 'cotitle', 'timestamp', 'status'] as const;
/**
 * Counters that move with every visitor: left out of the raw hash, or a popular complaint would
 * be "changed" (a history entry, a detail fetch) on every crawl while nothing about it changed.
 */
const VOLATILE = new Set(['upvote_amount', 'share_amount', 'comment_amount']);

function stableItem(main: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(main).filter(([key]) => !VOLATILE.has(key)));
}

export interface BlackCatSigning {
  ts: string;
  rs: string;
}

export function blackCatSignature(
  signing: BlackCatSigning,
  query: { type: number | string; pageSize: number | string; page: number | string },
): string {
  const parts = [signing.ts, signing.rs, BLACKCAT_SIGNATURE_SALT, query.type, query.pageSize, query.page].map(String);
  // Sorted by UTF-16 code units, as the site's script and the scrapers sort plain ASCII strings.
  parts.sort();
  return createHash('sha256').update(parts.join('')).digest('hex');
}

/** A fresh ts/rs pair from the context's clock and randomness (defaults: Date.now, crypto). */
export function blackCatSigning(context: Pick<CrawlContext, 'now' | 'random'>): BlackCatSigning {
  const now = context.now ?? Date.now;
  const random = context.random;
  const pick = random
    ? () => RS_ALPHABET[Math.floor(random() * RS_ALPHABET.length) % RS_ALPHABET.length]
    : () => RS_ALPHABET[randomInt(RS_ALPHABET.length)];
  return { ts: String(Math.floor(now())), rs: Array.from({ length: 16 }, pick).join('') };
}

export function blackCatFeedUrl(
  baseUrl: string,
  page: number,
  signing: BlackCatSigning,
  pageSize = BLACKCAT_PAGE_SIZE,
): string {
  const query = { type: BLACKCAT_FEED_TYPE, pageSize, page };
  return withQuery(baseUrl, '/api/index/feed', {
    ts: signing.ts,
    rs: signing.rs,
    signature: blackCatSignature(signing, query),
    type: BLACKCAT_FEED_TYPE,
    page_size: pageSize,
    page,
  });
}

/** The feed page's identity across runs: its URL without the signature, which changes every time. */
export function blackCatFeedKey(baseUrl: string, page: number, pageSize = BLACKCAT_PAGE_SIZE): string {
  return withQuery(baseUrl, '/api/index/feed', { type: BLACKCAT_FEED_TYPE, page_size: pageSize, page });
}

function feedRequest(context: CrawlContext, page: number, position: number): PageRequest {
  return {
    url: blackCatFeedUrl(context.baseUrl, page, blackCatSigning(context)),
    key: blackCatFeedKey(context.baseUrl, page),
    page: position,
  };
}

/**
 * The complaint page. Real complaint links carry `?sld=…` (every one since October 2024, per the
 * review in issue 14); without it the page may not exist, so the parameter of the published link
 * is kept when that link is the same complaint's page.
 */
export function blackCatDetailUrl(baseUrl: string, sn: string, published?: unknown): string {
  const canonical = joinUrl(baseUrl, `/complaint/view/${encodeURIComponent(sn)}/`);
  const link = typeof published === 'string' ? URL.parse(published.trim(), 'https://tousu.sina.com.cn') : null;
  const sameComplaint = link?.pathname.replace(/\/+$/, '').endsWith(`/complaint/view/${sn}`) ?? false;
  const sld = sameComplaint && link ? link.searchParams.get('sld') : null;
  if (!sld) return canonical;
  const url = new URL(canonical);
  url.searchParams.set('sld', sld);
  return url.toString();
}

/** One feed item (`lists[].main`) to a record, or the reason it cannot be one. */
export function normaliseBlackCatItem(main: unknown, context: CrawlContext): ParsedItem {
  if (!isObject(main))
    return {
      kind: 'invalid',
      externalId: null,
      reason: 'item has no "main" object',
      missingFields: [...REQUIRED],
      raw: rawText(main),
    };
  const missing = REQUIRED.filter((field) => main[field] === undefined || main[field] === null || main[field] === '');
  const sn = readId(main.sn);
  const invalid = (reason: string): ParsedItem => ({
    kind: 'invalid',
    externalId: sn,
    reason,
    missingFields: missing,
    raw: rawText(main),
  });
  if (missing.length > 0) return invalid(`missing ${missing.join(', ')}`);
  if (!sn) return invalid('sn is not an id');
  const createdAt = parseTime(main.timestamp);
  if (createdAt === null) return invalid(`unreadable timestamp ${JSON.stringify(main.timestamp)}`);
  const enterprise = resolvePublishedEnterprise(context.resolver, { name: String(main.cotitle) });
  if (!enterprise) return invalid(`merchant name ${JSON.stringify(main.cotitle)} is empty once cleaned`);
  const rawStatus = String(main.status);
  const evaluation = isObject(main.evaluate_u) ? main.evaluate_u : {};
  const detailUrl = blackCatDetailUrl(context.baseUrl, sn, main.url);
  const url = publishedLink(main.url, context.baseUrl) ?? detailUrl;
  const record: ListingRecord = {
    source: ListingSource.BlackCat,
    externalId: sn,
    url,
    enterpriseName: enterprise.displayName,
    enterpriseId: enterprise.id,
    enterpriseBasis: enterprise.basis,
    industry: null,
    title: cleanText(main.title),
    issue: cleanText(main.issue),
    demand: cleanText(main.appeal),
    amount: parseAmount(main.cost),
    status: blackCatStatus(rawStatus),
    rawStatus,
    createdAt,
    repliedAt: null,
    completedAt: null,
    satisfaction: parseSatisfaction(evaluation.satisfaction),
    rawHash: hashRaw(stableItem(main)),
  };
  const answered =
    record.status === ListingStatus.Replied ||
    record.status === ListingStatus.Completed ||
    record.status === ListingStatus.Closed;
  return { kind: 'record', record, detail: answered ? { url: detailUrl, page: 0 } : null };
}

/** A finite number from a pager field, or null. */
function pagerNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * The page after this one. Two pager forms are in use: `{current, next, page_amount}` and
 * `{current, page_amount, item_count}` without `next` (what the recent scrapers read). `next`
 * is followed when present; otherwise the page after `current` while it is within
 * `page_amount` (or `item_count` / page size); with neither, a full page suggests another.
 */
export function blackCatNextPage(pager: Record<string, unknown>, page: number, pageSize: number, items: number) {
  const current = pagerNumber(pager.current) ?? page;
  const pageAmount = pagerNumber(pager.page_amount);
  const itemCount = pagerNumber(pager.item_count);
  const lastPage = pageAmount ?? (itemCount !== null ? Math.ceil(itemCount / pageSize) : null);
  const next = pagerNumber(pager.next);
  let candidate: number | null;
  if (next !== null) candidate = next > current ? next : null;
  else if (lastPage !== null) candidate = current < lastPage ? current + 1 : null;
  else candidate = items >= pageSize ? current + 1 : null;
  const within = candidate !== null && (lastPage === null || candidate <= lastPage) && candidate <= BLACKCAT_MAX_PAGES;
  return { current, lastPage, next: within ? candidate : null };
}

export function parseBlackCatFeed(body: string, request: PageRequest, context: CrawlContext): PageOutcome {
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { kind: 'malformed', reason: decoded.reason };
  const json = decoded.json;
  const result = isObject(json) && isObject(json.result) ? json.result : null;
  const status = result && isObject(result.status) ? result.status : null;
  if (!status || status.code === undefined)
    return { kind: 'structure-changed', reason: 'no result.status.code in the envelope', sample: rawText(body, 500) };
  const code = String(status.code);
  if (BLACKCAT_LOGIN_CODES.has(code))
    return { kind: 'login-required', code, message: String(status.msg ?? 'login required') };
  if (code === BLACKCAT_NO_SUCH_PAGE)
    return {
      kind: 'items',
      items: [],
      next: null,
      expectItems: false,
      progress: null,
      endReason: `page ${request.page} does not exist (code ${code}): end of the feed`,
    };
  if (code !== '0') return { kind: 'malformed', reason: `result.status.code ${code}: ${String(status.msg ?? '')}` };
  const payload = result?.data;
  const data = isObject(payload) ? payload : null;
  if (!data || !Array.isArray(data.lists))
    return { kind: 'structure-changed', reason: 'no result.data.lists array', sample: rawText(body, 500) };
  const pager = isObject(data.pager) ? data.pager : {};
  const requestedSize = Number(URL.parse(request.url)?.searchParams.get('page_size') ?? NaN);
  const pageSize = Number.isInteger(requestedSize) && requestedSize > 0 ? requestedSize : BLACKCAT_PAGE_SIZE;
  const requestedPage = Number(URL.parse(request.url)?.searchParams.get('page') ?? NaN);
  const paging = blackCatNextPage(
    pager,
    Number.isInteger(requestedPage) ? requestedPage : request.page,
    pageSize,
    data.lists.length,
  );
  const items = data.lists.map((entry) =>
    itemSafely(entry, () => normaliseBlackCatItem(isObject(entry) ? entry.main : entry, context)),
  );
  const createdTimes = items.flatMap((item) => (item.kind === 'record' ? [item.record.createdAt] : []));
  const progress = createdTimes.length ? Math.max(...createdTimes) : null;
  const since = context.since;
  const pastCheckpoint = since !== null && createdTimes.length > 0 && createdTimes.every((t) => t < since);
  return {
    kind: 'items',
    items,
    next: paging.next !== null && !pastCheckpoint ? feedRequest(context, paging.next, request.page + 1) : null,
    expectItems:
      paging.lastPage !== null ? paging.current <= paging.lastPage && paging.lastPage > 0 : request.page === 1,
    progress,
  };
}

export interface BlackCatDetail {
  labels: Record<string, string>;
  timeline: Array<{ name: string; status: string; at: number | null; text: string }>;
}

/** The complaint page: the `ul.ts-q-list` label list and the `div.ts-d-item` timeline. */
export function parseBlackCatDetail(html: string): BlackCatDetail | null {
  const $ = cheerio.load(html);
  const list = $('ul.ts-q-list');
  if (list.length === 0) return null;
  const labels: Record<string, string> = {};
  list.find('li').each((_, li) => {
    const label = $(li)
      .find('label, .ts-q-label')
      .first()
      .text()
      .replace(/[：:\s]/g, '');
    const value =
      $(li).find('.ts-q-value, span, a').first().text().trim() ||
      $(li).text().replace($(li).find('label').text(), '').trim();
    if (label) labels[label] = value;
  });
  const timeline = $('div.ts-d-item')
    .toArray()
    .map((item) => ({
      name: $(item).find('.u-name').first().text().trim(),
      status: $(item).find('.u-status').first().text().trim(),
      at: parseTime($(item).find('.u-date').first().text().trim()),
      text: $(item).find('.ts-d-cont').first().text().trim(),
    }));
  return { labels, timeline };
}

/** Adds reply and completion times (and a missing amount) from the detail page. */
export function applyBlackCatDetail(record: ListingRecord, html: string): DetailOutcome {
  const detail = parseBlackCatDetail(html);
  if (!detail)
    return {
      kind: 'invalid',
      reason: 'detail page has no ul.ts-q-list',
      missingFields: ['ts-q-list'],
      raw: rawText(html, 2000),
    };
  const timesOf = (status: string) =>
    detail.timeline.flatMap((step) => (step.status.includes(status) && step.at !== null ? [step.at] : []));
  const replies = timesOf('回复');
  const evaluations = timesOf('评价');
  const repliedAt = replies.length ? Math.min(...replies) : null;
  const completedAt = record.status === ListingStatus.Completed && evaluations.length ? Math.max(...evaluations) : null;
  return {
    kind: 'record',
    record: {
      ...record,
      repliedAt: repliedAt !== null && repliedAt >= record.createdAt ? repliedAt : null,
      completedAt: completedAt !== null && completedAt >= record.createdAt ? completedAt : null,
      amount: record.amount ?? parseAmount(detail.labels.涉诉金额),
      demand: record.demand ?? cleanText(detail.labels.投诉要求),
      issue: record.issue ?? cleanText(detail.labels.投诉问题),
    },
  };
}

export const blackCatAdapter: SourceAdapter = {
  source: ListingSource.BlackCat,
  checkRobots: true,
  overlapMs: 7 * 24 * 3600_000,
  listCarriesState: true,
  haltOnHttpStatus: { 456: 'address banned by the source (HTTP 456)' },
  firstPage: (context) => feedRequest(context, 1, 1),
  refresh: (request, context) => {
    const page = Number(URL.parse(request.url)?.searchParams.get('page') ?? NaN);
    return Number.isInteger(page) ? feedRequest(context, page, request.page) : request;
  },
  parsePage: parseBlackCatFeed,
  skipPage: (failed, context) => {
    const page = Number(URL.parse(failed.url)?.searchParams.get('page') ?? failed.page) + 1;
    return page <= BLACKCAT_MAX_PAGES ? feedRequest(context, page, failed.page + 1) : null;
  },
  applyDetail: (item, body) =>
    item.record
      ? applyBlackCatDetail(item.record, body)
      : { kind: 'invalid', reason: 'no record to enrich', missingFields: [], raw: '' },
};
