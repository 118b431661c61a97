import * as cheerio from 'cheerio';
import { resolvePublishedEnterprise } from '../domain/entity-resolution.ts';
import { ListingSource, ListingStatus, type ListingRecord } from '../domain/listing.ts';
import { cleanText, hashRaw, jutousuStatus, parseAmount, parseTime } from '../domain/normalise.ts';
import {
  isObject,
  itemSafely,
  joinUrl,
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
 * 21CN 聚投诉 (ts.21cn.com). The post list (`postList[]{id, title, shortTopic, username, ctime}`)
 * does not name the business: every post needs its detail page `/tousu/show/id/{id}`, whose
 * label list gives the business, problem, demand, amount and state, and whose progress list
 * gives the reply and completion times. `username` (the complainant) is never stored.
 */
export const JUTOUSU_MAX_PAGES = 100;
const LIST_REQUIRED = ['id', 'ctime'] as const;

export function jutousuListUrl(baseUrl: string, page: number): string {
  return withQuery(baseUrl, '/tousu/api/list', { page });
}

export function jutousuDetailUrl(baseUrl: string, id: string): string {
  return joinUrl(baseUrl, `/tousu/show/id/${encodeURIComponent(id)}`);
}

/** The list item without the complainant's user name (personal data, and irrelevant to the record). */
function publicListItem(item: Record<string, unknown>) {
  const { username: _username, ...rest } = item;
  return rest;
}

export function parseJutousuList(body: string, request: PageRequest, context: CrawlContext): PageOutcome {
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { kind: 'malformed', reason: decoded.reason };
  const json = decoded.json;
  if (!isObject(json) || json.code === undefined)
    return { kind: 'structure-changed', reason: 'no "code" in the envelope', sample: rawText(body, 500) };
  if (String(json.code) !== '0')
    return { kind: 'malformed', reason: `code ${String(json.code)}: ${String(json.msg ?? '')}` };
  const data = isObject(json.data) ? json.data : null;
  if (!data || !Array.isArray(data.postList))
    return { kind: 'structure-changed', reason: 'no data.postList array', sample: rawText(body, 500) };
  const items: ParsedItem[] = [];
  const times: number[] = [];
  for (const post of data.postList) {
    const item = itemSafely(post, () => {
      if (!isObject(post))
        return {
          kind: 'invalid',
          externalId: null,
          reason: 'post is not an object',
          missingFields: [...LIST_REQUIRED],
          raw: rawText(post),
        };
      const missing = LIST_REQUIRED.filter(
        (field) => post[field] === undefined || post[field] === null || post[field] === '',
      );
      const id = readId(post.id);
      const created = parseTime(post.ctime);
      if (missing.length > 0 || !id || created === null) {
        const reason = missing.length
          ? `missing ${missing.join(', ')}`
          : !id
            ? 'id is not an id'
            : `unreadable ctime ${JSON.stringify(post.ctime)}`;
        return { kind: 'invalid', externalId: id, reason, missingFields: missing, raw: rawText(publicListItem(post)) };
      }
      const detail = { url: jutousuDetailUrl(context.baseUrl, id), page: 0 };
      times.push(created);
      return { kind: 'needs-detail', externalId: id, raw: publicListItem(post), detail };
    });
    items.push(item);
  }
  const pageNo = Number(data.pageNo ?? request.page);
  const totalPage = Number(data.totalPage ?? NaN);
  const pastCheckpoint = context.since !== null && times.length > 0 && times.every((t) => t < context.since!);
  const hasNext = Number.isFinite(totalPage) ? pageNo < totalPage : data.postList.length > 0;
  return {
    kind: 'items',
    items,
    next:
      hasNext && pageNo < JUTOUSU_MAX_PAGES && !pastCheckpoint
        ? { url: jutousuListUrl(context.baseUrl, pageNo + 1), page: request.page + 1 }
        : null,
    expectItems: Number.isFinite(totalPage) ? pageNo <= totalPage && totalPage > 0 : request.page === 1,
    progress: times.length ? Math.max(...times) : null,
  };
}

export interface JutousuDetail {
  title: string | null;
  labels: Record<string, string>;
  progress: Array<{ type: string; at: number | null }>;
}

export function parseJutousuDetail(html: string): JutousuDetail | null {
  const $ = cheerio.load(html);
  const info = $('ul.ts-info');
  if (info.length === 0) return null;
  const labels: Record<string, string> = {};
  info.find('li').each((_, li) => {
    const label = $(li)
      .find('.ts-label')
      .first()
      .text()
      .replace(/[：:\s]/g, '');
    if (label) labels[label] = $(li).find('.ts-value').first().text().trim();
  });
  const progress = $('div.ts-progress .ts-step')
    .toArray()
    .map((step) => ({
      type: ($(step).attr('data-type') ?? $(step).find('.ts-step-type').text()).trim(),
      at: parseTime($(step).find('.ts-time').first().text().trim()),
    }));
  return { title: cleanText($('h1.ts-title').first().text()), labels, progress };
}

const DETAIL_REQUIRED = ['投诉对象', '投诉状态'] as const;

export function applyJutousuDetail(
  item: { externalId: string; raw: unknown },
  html: string,
  context: CrawlContext,
): DetailOutcome {
  const post = isObject(item.raw) ? item.raw : {};
  const detail = parseJutousuDetail(html);
  if (!detail)
    return {
      kind: 'invalid',
      reason: 'detail page has no ul.ts-info',
      missingFields: ['ts-info'],
      raw: rawText(html, 2000),
    };
  const missing = DETAIL_REQUIRED.filter((label) => !detail.labels[label]);
  const raw = rawText({ post, detail });
  if (missing.length > 0)
    return { kind: 'invalid', reason: `detail page lacks ${missing.join(', ')}`, missingFields: [...missing], raw };
  const enterprise = resolvePublishedEnterprise(context.resolver, { name: detail.labels['投诉对象'] });
  if (!enterprise)
    return { kind: 'invalid', reason: 'business name is empty once cleaned', missingFields: ['投诉对象'], raw };
  const createdAt = parseTime(post.ctime)!;
  const rawStatus = detail.labels['投诉状态'];
  const status = jutousuStatus(rawStatus);
  const times = (type: string) =>
    detail.progress.filter((s) => s.type.includes(type) && s.at !== null && s.at >= createdAt).map((s) => s.at!);
  const replies = times('回复');
  const completions = times('完成');
  const record: ListingRecord = {
    source: ListingSource.Jutousu,
    externalId: item.externalId,
    url: jutousuDetailUrl(context.baseUrl, item.externalId),
    enterpriseName: enterprise.displayName,
    enterpriseId: enterprise.id,
    enterpriseBasis: enterprise.basis,
    industry: null,
    title: cleanText(post.title) ?? detail.title,
    issue: cleanText(detail.labels['投诉问题']) ?? cleanText(post.shortTopic),
    demand: cleanText(detail.labels['投诉要求']),
    amount: parseAmount(detail.labels['涉诉金额']),
    status,
    rawStatus,
    createdAt,
    repliedAt: replies.length ? Math.min(...replies) : null,
    completedAt: status === ListingStatus.Completed && completions.length ? Math.max(...completions) : null,
    satisfaction: null,
    rawHash: hashRaw({ post, detail }),
  };
  return { kind: 'record', record };
}

export const jutousuAdapter: SourceAdapter = {
  source: ListingSource.Jutousu,
  checkRobots: true,
  overlapMs: 7 * 24 * 3600_000,
  listCarriesState: false,
  firstPage: (context) => ({ url: jutousuListUrl(context.baseUrl, 1), page: 1 }),
  parsePage: parseJutousuList,
  skipPage: (failed, context) =>
    failed.page < JUTOUSU_MAX_PAGES
      ? { url: jutousuListUrl(context.baseUrl, failed.page + 1), page: failed.page + 1 }
      : null,
  applyDetail: (item, body, context) => applyJutousuDetail(item, body, context),
};
