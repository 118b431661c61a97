import * as cheerio from 'cheerio';
import { resolvePublishedEnterprise } from '../domain/entity-resolution.ts';
import { ListingSource, ListingStatus, type ListingRecord } from '../domain/listing.ts';
import { cleanText, hashRaw, parseTime } from '../domain/normalise.ts';
import {
  type CrawlContext,
  type DetailOutcome,
  isObject,
  itemSafely,
  joinUrl,
  type PageOutcome,
  type PageRequest,
  type ParsedItem,
  parseJsonBody,
  rawText,
  readId,
  type SourceAdapter,
} from './types.ts';

/**
 * 21CN 聚投诉 (ts.21cn.com), as public scrapers read it (repositories and paths in
 * subgraphs/reputation/sources/EVIDENCE.md):
 *
 * - The newest-first list `/json/indexPcMorePost/order/ctime/pageNo/{n}` answers either
 *   `{message: "<html>"}` (one `div.ind_list_all` per post: `span.sharetag[tag]` the id,
 *   `span.label a` the business, `.con_info a` the title, `dl dt p` the time) or, like
 *   `searchPostList.do` and `json/merchantPostList/…/offset/…`, JSON with `postList[]{id, title,
 *   shortTopic, username, ctime (epoch s), shuqiu}` and an `offset` cursor at the top level. The
 *   cursor is carried to the next page as `/offset/{offset}`.
 * - A post's page `/tousu/show/id/{id}` holds only `input#postKeyValue`; its facts come from
 *   `/json/getPostContent/postKey/{key}`: `post{merchantname, ctimeStr, problemLabelList[].name,
 *   shuqiu, topic}`. No public evidence shows where the post's state or an amount is published,
 *   so neither is read: the status is UNKNOWN (raw status empty) and the amount null.
 *
 * `username` (the complainant) is never stored or hashed.
 */
export const JUTOUSU_MAX_PAGES = 100;
export const JUTOUSU_LIST_PATH = '/json/indexPcMorePost/order/ctime/pageNo/1';
/** How the site tells an anonymous visitor to log in (seen by scrapers in list and detail bodies). */
const LOGIN_MARK = '登录聚投诉';
const LIST_REQUIRED = ['id', 'ctime'] as const;

export function jutousuListUrl(baseUrl: string): string {
  return joinUrl(baseUrl, JUTOUSU_LIST_PATH);
}

export function jutousuDetailUrl(baseUrl: string, id: string): string {
  return joinUrl(baseUrl, `/tousu/show/id/${encodeURIComponent(id)}`);
}

export function jutousuContentUrl(baseUrl: string, postKey: string): string {
  return joinUrl(baseUrl, `/json/getPostContent/postKey/${encodeURIComponent(postKey)}`);
}

/**
 * The next list page: `pageNo` + 1 and, when the page gave one, its `offset` cursor, in the path
 * form (`/pageNo/2/offset/…`) or the query form (`?pageNo=2&offset=…`) the current URL uses.
 */
export function jutousuNextUrl(current: string, offset: string | null): string | null {
  const url = URL.parse(current);
  if (!url) return null;
  const pathPage = /\/pageNo\/(\d+)/.exec(url.pathname);
  if (pathPage) {
    let path = url.pathname
      .replace(/\/pageNo\/\d+/, `/pageNo/${Number(pathPage[1]) + 1}`)
      .replace(/\/offset\/[^/]*/, '');
    if (offset) path = `${path.replace(/\/+$/, '')}/offset/${encodeURIComponent(offset)}`;
    url.pathname = path;
    return url.toString();
  }
  const queryPage = Number(url.searchParams.get('pageNo') ?? NaN);
  if (!Number.isInteger(queryPage)) return null;
  url.searchParams.set('pageNo', String(queryPage + 1));
  if (offset) url.searchParams.set('offset', offset);
  else url.searchParams.delete('offset');
  return url.toString();
}

/** The list item without the complainant's user name (personal data, and irrelevant to the record). */
function publicListItem(item: Record<string, unknown>) {
  const { username: _username, ...rest } = item;
  return rest;
}

/** The first China-local date-time in a text ("2026-01-15 08:10 用户… 投诉"), as epoch ms. */
function firstLocalTime(text: string): number | null {
  const match = /(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)/.exec(text);
  return match ? parseTime(match[1]) : null;
}

/** Posts of the `{message: "<html>"}` form, as the same fields the JSON form has (no user name). */
export function parseJutousuListHtml(html: string): Array<Record<string, unknown>> {
  const $ = cheerio.load(html);
  return $('div.ind_list_all')
    .toArray()
    .map((post) => {
      const item = $(post);
      const link = item.find('a[href*="/tousu/show/id/"]').first().attr('href') ?? '';
      const id = item.find('span.sharetag').first().attr('tag') ?? /\/tousu\/show\/id\/(\d+)/.exec(link)?.[1] ?? '';
      const created = firstLocalTime(item.find('dl dt p').first().text());
      return {
        id,
        title: item.find('.con_info a').first().text().trim(),
        merchant: item.find('span.label a').first().text().trim(),
        shortTopic: item.find('dd.desc').first().text().trim(),
        ctime: created === null ? '' : Math.floor(created / 1000),
      };
    });
}

function listItem(post: unknown, context: CrawlContext, times: number[]): ParsedItem {
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
  const raw = publicListItem(post);
  if (missing.length > 0 || !id || created === null) {
    const reason = missing.length
      ? `missing ${missing.join(', ')}`
      : !id
        ? 'id is not an id'
        : `unreadable ctime ${JSON.stringify(post.ctime)}`;
    return { kind: 'invalid', externalId: id, reason, missingFields: missing, raw: rawText(raw) };
  }
  times.push(created);
  return { kind: 'needs-detail', externalId: id, raw, detail: { url: jutousuDetailUrl(context.baseUrl, id), page: 0 } };
}

export function parseJutousuList(body: string, request: PageRequest, context: CrawlContext): PageOutcome {
  if (body.includes(LOGIN_MARK)) return { kind: 'login-required', code: 'login-page', message: LOGIN_MARK };
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { kind: 'malformed', reason: decoded.reason };
  const json = decoded.json;
  let posts: unknown[];
  let offset: string | null = null;
  if (isObject(json) && Array.isArray(json.postList)) {
    posts = json.postList;
    offset = readId(json.offset);
  } else if (isObject(json) && typeof json.message === 'string') {
    posts = parseJutousuListHtml(json.message);
    if (posts.length === 0 && json.message.trim() !== '' && !json.message.includes('ind_list_all'))
      return { kind: 'structure-changed', reason: 'message holds no div.ind_list_all', sample: rawText(body, 500) };
  } else {
    return {
      kind: 'structure-changed',
      reason: 'neither postList nor message in the answer',
      sample: rawText(body, 500),
    };
  }
  const times: number[] = [];
  const items = posts.map((post) => itemSafely(post, () => listItem(post, context, times)));
  const since = context.since;
  const pastCheckpoint = since !== null && times.length > 0 && times.every((t) => t < since);
  const nextUrl = posts.length > 0 && request.page < JUTOUSU_MAX_PAGES ? jutousuNextUrl(request.url, offset) : null;
  return {
    kind: 'items',
    items,
    next: nextUrl && !pastCheckpoint ? { url: nextUrl, page: request.page + 1 } : null,
    expectItems: request.page === 1,
    progress: times.length ? Math.max(...times) : null,
  };
}

/** The post as `getPostContent` publishes it, or null when the answer has no `post` object. */
export function parseJutousuContent(body: string): Record<string, unknown> | null {
  const decoded = parseJsonBody(body);
  return decoded.ok && isObject(decoded.json) && isObject(decoded.json.post) ? decoded.json.post : null;
}

export function applyJutousuDetail(
  item: { externalId: string; raw: unknown },
  body: string,
  context: CrawlContext,
): DetailOutcome {
  const listed = isObject(item.raw) ? item.raw : {};
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{')) {
    // The post's page: it only holds the key of the JSON call that has the facts.
    if (body.includes(LOGIN_MARK))
      return { kind: 'invalid', reason: 'the post page asks for a login', missingFields: [], raw: rawText(body, 500) };
    const key = cheerio.load(body)('input#postKeyValue').attr('value')?.trim();
    if (!key)
      return {
        kind: 'invalid',
        reason: 'post page has no input#postKeyValue',
        missingFields: ['postKeyValue'],
        raw: rawText(body, 2000),
      };
    return { kind: 'follow', request: { url: jutousuContentUrl(context.baseUrl, key), page: 0 } };
  }
  const content = parseJutousuContent(body);
  if (!content)
    return {
      kind: 'invalid',
      reason: 'getPostContent has no post object',
      missingFields: ['post'],
      raw: rawText(body, 2000),
    };
  const post = publicListItem(content);
  const raw = rawText({ listed, post });
  const enterprise = resolvePublishedEnterprise(context.resolver, {
    name: String(post.merchantname ?? listed.merchant ?? ''),
  });
  if (!enterprise)
    return { kind: 'invalid', reason: 'business name is empty once cleaned', missingFields: ['merchantname'], raw };
  const createdAt = parseTime(listed.ctime) ?? parseTime(post.ctimeStr);
  if (createdAt === null)
    return { kind: 'invalid', reason: 'no readable creation time', missingFields: ['ctime', 'ctimeStr'], raw };
  const labels = Array.isArray(post.problemLabelList)
    ? post.problemLabelList.flatMap((label) =>
        isObject(label) && cleanText(label.name) ? [cleanText(label.name)] : [],
      )
    : [];
  const record: ListingRecord = {
    source: ListingSource.Jutousu,
    externalId: item.externalId,
    url: jutousuDetailUrl(context.baseUrl, item.externalId),
    enterpriseName: enterprise.displayName,
    enterpriseId: enterprise.id,
    enterpriseBasis: enterprise.basis,
    industry: null,
    title: cleanText(listed.title) ?? cleanText(post.title),
    issue: labels.length ? labels.join('、') : cleanText(listed.shortTopic),
    demand: cleanText(post.shuqiu) ?? cleanText(listed.shuqiu),
    amount: null,
    status: ListingStatus.Unknown,
    rawStatus: '',
    createdAt,
    repliedAt: null,
    completedAt: null,
    satisfaction: null,
    rawHash: hashRaw({ listed, post }),
  };
  return { kind: 'record', record };
}

export const jutousuAdapter: SourceAdapter = {
  source: ListingSource.Jutousu,
  checkRobots: true,
  overlapMs: 7 * 24 * 3600_000,
  // What a post says can change on its detail only: list pages are read without validators.
  listCarriesState: false,
  firstPage: (context) => ({ url: jutousuListUrl(context.baseUrl), page: 1 }),
  parsePage: parseJutousuList,
  skipPage: (failed) => {
    const url = failed.page < JUTOUSU_MAX_PAGES ? jutousuNextUrl(failed.url, null) : null;
    return url ? { url, page: failed.page + 1 } : null;
  },
  applyDetail: (item, body, context) => applyJutousuDetail(item, body, context),
};
