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
 * The 12315 public listing (tsgs.12315.cn). It publishes finished mediations only, newest first:
 * `entName`, `creditNo`, `entAddr`, `content`, `res`, `department`, `endtime`. There is no
 * creation time, so `createdAt` is the closing time (`endtime`); there is no reply time either.
 */
export const SAMR_PAGE_SIZE = 50;
export const SAMR_MAX_PAGES = 1000;
const REQUIRED = ['entName', 'content', 'res', 'endtime'] as const;

export function samrListUrl(baseUrl: string, page: number, pageSize = SAMR_PAGE_SIZE): string {
  return withQuery(baseUrl, '/api/public/complaints', { pageNo: page, pageSize });
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
  if (!isObject(json) || json.code === undefined)
    return { kind: 'structure-changed', reason: 'no "code" in the envelope', sample: rawText(body, 500) };
  if (String(json.code) !== '0' && String(json.code) !== '200')
    return { kind: 'malformed', reason: `code ${String(json.code)}: ${String(json.msg ?? '')}` };
  const data = isObject(json.data) ? json.data : null;
  if (!data || !Array.isArray(data.list))
    return { kind: 'structure-changed', reason: 'no data.list array', sample: rawText(body, 500) };
  const items = data.list.map((row) => itemSafely(row, () => normaliseSamrRow(row, context)));
  const times = items.flatMap((item) => (item.kind === 'record' ? [item.record.createdAt] : []));
  const total = Number(data.total ?? NaN);
  const pageSize = Number(data.pageSize ?? SAMR_PAGE_SIZE);
  const pageNo = Number(data.pageNo ?? request.page);
  const lastPage = Number.isFinite(total) ? Math.ceil(total / pageSize) : Infinity;
  const pastCheckpoint = context.since !== null && times.length > 0 && times.every((t) => t < context.since!);
  const hasNext = pageNo < lastPage && pageNo < SAMR_MAX_PAGES && data.list.length > 0;
  return {
    kind: 'items',
    items,
    next: hasNext && !pastCheckpoint ? { url: samrListUrl(context.baseUrl, pageNo + 1), page: request.page + 1 } : null,
    expectItems: Number.isFinite(total) ? pageNo <= lastPage && total > 0 : request.page === 1,
    progress: times.length ? Math.max(...times) : null,
  };
}

export const samr12315Adapter: SourceAdapter = {
  source: ListingSource.Samr12315,
  checkRobots: true,
  overlapMs: 24 * 3600_000,
  listCarriesState: true,
  firstPage: (context) => ({ url: samrListUrl(context.baseUrl, 1), page: 1 }),
  parsePage: parseSamrPage,
  skipPage: (failed, context) =>
    failed.page < SAMR_MAX_PAGES ? { url: samrListUrl(context.baseUrl, failed.page + 1), page: failed.page + 1 } : null,
};
