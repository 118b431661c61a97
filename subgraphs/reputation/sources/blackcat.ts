import * as cheerio from 'cheerio';
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
 * ten per page, at most 50 pages. Codes 10005/10017 mean the feed wants a login: we stop there.
 */
export const BLACKCAT_PAGE_SIZE = 10;
export const BLACKCAT_MAX_PAGES = 50;
export const BLACKCAT_LOGIN_CODES = new Set(['10005', '10017']);
const REQUIRED = ['sn', 'cotitle', 'timestamp', 'status'] as const;
/**
 * Counters that move with every visitor: left out of the raw hash, or a popular complaint would
 * be "changed" (a history entry, a detail fetch) on every crawl while nothing about it changed.
 */
const VOLATILE = new Set(['upvote_amount']);

function stableItem(main: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(main).filter(([key]) => !VOLATILE.has(key)));
}

export function blackCatFeedUrl(baseUrl: string, page: number, pageSize = BLACKCAT_PAGE_SIZE): string {
  return withQuery(baseUrl, '/api/index/feed', { type: 1, page_size: pageSize, page });
}

export function blackCatDetailUrl(baseUrl: string, sn: string): string {
  return joinUrl(baseUrl, `/complaint/view/${encodeURIComponent(sn)}/`);
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
  const url = publishedLink(main.url, context.baseUrl) ?? blackCatDetailUrl(context.baseUrl, sn);
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
  return { kind: 'record', record, detail: answered ? { url: blackCatDetailUrl(context.baseUrl, sn), page: 0 } : null };
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
  if (code !== '0') return { kind: 'malformed', reason: `result.status.code ${code}: ${String(status.msg ?? '')}` };
  const data = isObject(result!.data) ? result!.data : null;
  if (!data || !Array.isArray(data.lists))
    return { kind: 'structure-changed', reason: 'no result.data.lists array', sample: rawText(body, 500) };
  const pager = isObject(data.pager) ? data.pager : {};
  const current = Number(pager.current ?? request.page);
  const pageAmount = Number(pager.page_amount ?? NaN);
  const items = data.lists.map((entry) =>
    itemSafely(entry, () => normaliseBlackCatItem(isObject(entry) ? entry.main : entry, context)),
  );
  const createdTimes = items.flatMap((item) => (item.kind === 'record' ? [item.record.createdAt] : []));
  const progress = createdTimes.length ? Math.max(...createdTimes) : null;
  const pastCheckpoint =
    context.since !== null && createdTimes.length > 0 && createdTimes.every((t) => t < context.since!);
  const nextPage = Number(pager.next ?? NaN);
  const hasNext =
    Number.isFinite(nextPage) &&
    nextPage > current &&
    (!Number.isFinite(pageAmount) || nextPage <= pageAmount) &&
    nextPage <= BLACKCAT_MAX_PAGES;
  return {
    kind: 'items',
    items,
    next:
      hasNext && !pastCheckpoint ? { url: blackCatFeedUrl(context.baseUrl, nextPage), page: request.page + 1 } : null,
    expectItems: Number.isFinite(pageAmount) ? current <= pageAmount && pageAmount > 0 : request.page === 1,
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
  const replies = detail.timeline
    .filter((step) => step.status.includes('回复') && step.at !== null)
    .map((step) => step.at!);
  const evaluations = detail.timeline
    .filter((step) => step.status.includes('评价') && step.at !== null)
    .map((step) => step.at!);
  const repliedAt = replies.length ? Math.min(...replies) : null;
  const completedAt = record.status === ListingStatus.Completed && evaluations.length ? Math.max(...evaluations) : null;
  return {
    kind: 'record',
    record: {
      ...record,
      repliedAt: repliedAt !== null && repliedAt >= record.createdAt ? repliedAt : null,
      completedAt: completedAt !== null && completedAt >= record.createdAt ? completedAt : null,
      amount: record.amount ?? parseAmount(detail.labels['涉诉金额']),
      demand: record.demand ?? cleanText(detail.labels['投诉要求']),
      issue: record.issue ?? cleanText(detail.labels['投诉问题']),
    },
  };
}

/** A merchant as the merchant list publishes it (aggregates only; not listing records). */
export interface BlackCatMerchant {
  uid: string;
  name: string;
  enterpriseId: string;
  enterpriseBasis: string;
  validComplaints: number;
  replied: number;
  completed: number;
  evalPoints: number | null;
}

export function parseBlackCatMerchants(
  body: string,
  context: Pick<CrawlContext, 'resolver'>,
): { merchants: BlackCatMerchant[]; invalid: string[] } | { error: string } {
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { error: decoded.reason };
  const json = decoded.json;
  const result = isObject(json) && isObject(json.result) ? json.result : null;
  const code = result && isObject(result.status) ? String(result.status.code) : null;
  if (code !== '0') return { error: code === null ? 'no result.status.code' : `result.status.code ${code}` };
  const lists = isObject(result!.data) && Array.isArray(result!.data.lists) ? result!.data.lists : null;
  if (!lists) return { error: 'no result.data.lists array' };
  const merchants: BlackCatMerchant[] = [];
  const invalid: string[] = [];
  for (const entry of lists) {
    const uid = isObject(entry) ? readId(entry.uid) : null;
    const enterprise =
      isObject(entry) && typeof entry.title === 'string'
        ? resolvePublishedEnterprise(context.resolver, { name: entry.title })
        : null;
    const count = (value: unknown) => (Number.isInteger(Number(value)) && Number(value) >= 0 ? Number(value) : NaN);
    if (!uid || !enterprise || !isObject(entry)) {
      invalid.push(rawText(entry, 1000));
      continue;
    }
    const [validComplaints, replied, completed] = [
      count(entry.valid_amt),
      count(entry.replied_amt),
      count(entry.completed_amt),
    ];
    if ([validComplaints, replied, completed].some(Number.isNaN)) {
      invalid.push(rawText(entry, 1000));
      continue;
    }
    const points =
      entry.eval_points === null || entry.eval_points === undefined || entry.eval_points === ''
        ? NaN
        : Number(entry.eval_points);
    merchants.push({
      uid,
      name: enterprise.displayName,
      enterpriseId: enterprise.id,
      enterpriseBasis: enterprise.basis,
      validComplaints,
      replied,
      completed,
      evalPoints: Number.isFinite(points) ? points : null,
    });
  }
  return { merchants, invalid };
}

export const blackCatAdapter: SourceAdapter = {
  source: ListingSource.BlackCat,
  checkRobots: true,
  overlapMs: 7 * 24 * 3600_000,
  listCarriesState: true,
  firstPage: (context) => ({ url: blackCatFeedUrl(context.baseUrl, 1), page: 1 }),
  parsePage: parseBlackCatFeed,
  skipPage: (failed, context) =>
    failed.page < BLACKCAT_MAX_PAGES
      ? { url: blackCatFeedUrl(context.baseUrl, failed.page + 1), page: failed.page + 1 }
      : null,
  applyDetail: (item, body) =>
    item.record
      ? applyBlackCatDetail(item.record, body)
      : { kind: 'invalid', reason: 'no record to enrich', missingFields: [], raw: '' },
};
