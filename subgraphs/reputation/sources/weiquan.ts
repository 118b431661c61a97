import { INDUSTRIES } from '../../../platform/vocabulary.ts';
import { resolvePublishedEnterprise } from '../domain/entity-resolution.ts';
import { ListingSource, type ListingRecord } from '../domain/listing.ts';
import { cleanText, hashRaw, parseSatisfaction, parseTime, weiquanStatus } from '../domain/normalise.ts';
import {
  isObject,
  itemSafely,
  rawText,
  readId,
  type CrawlContext,
  type PageOutcome,
  type PageRequest,
  type ParsedItem,
  parseJsonBody,
  type SourceAdapter,
} from './types.ts';

/**
 * Our own published cases, read from the cases subgraph's public `publishedCases` query (the
 * publication feed of the cross-subgraph contract), oldest publication first, by cursor.
 * `complainantName` is masked upstream and is not requested at all.
 */
export const WEIQUAN_PAGE_SIZE = 50;

export const PUBLISHED_CASES_QUERY = `query PublishedCases($first: Int, $after: String, $publishedSince: DateTime) {
  publishedCases(first: $first, after: $after, publishedSince: $publishedSince) {
    edges { cursor node {
      id reference respondentName respondentCreditCode industry issueType title
      outcome amount submittedAt respondedAt closedAt publishedAt satisfaction
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function publishedCasesRequest(
  graphqlUrl: string,
  page: number,
  since: number | null,
  after: string | null,
): PageRequest {
  return {
    url: graphqlUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      query: PUBLISHED_CASES_QUERY,
      variables: {
        first: WEIQUAN_PAGE_SIZE,
        after,
        publishedSince: since === null ? null : new Date(since).toISOString(),
      },
    }),
    page,
  };
}

const REQUIRED = ['id', 'respondentName', 'outcome', 'submittedAt', 'publishedAt'] as const;

export function normalisePublishedCase(
  node: unknown,
  context: CrawlContext,
): { item: ParsedItem; publishedAt: number | null } {
  if (!isObject(node))
    return {
      item: {
        kind: 'invalid',
        externalId: null,
        reason: 'node is not an object',
        missingFields: [...REQUIRED],
        raw: rawText(node),
      },
      publishedAt: null,
    };
  const missing = REQUIRED.filter((field) => node[field] === undefined || node[field] === null || node[field] === '');
  const id = readId(node.id);
  const publishedAt = parseTime(node.publishedAt);
  const invalid = (reason: string) => ({
    item: { kind: 'invalid', externalId: id, reason, missingFields: missing, raw: rawText(node) } as ParsedItem,
    publishedAt,
  });
  if (missing.length > 0 || !id) return invalid(`missing ${missing.join(', ') || 'id'}`);
  const createdAt = parseTime(node.submittedAt);
  if (createdAt === null) return invalid(`unreadable submittedAt ${JSON.stringify(node.submittedAt)}`);
  const enterprise = resolvePublishedEnterprise(context.resolver, {
    name: String(node.respondentName),
    creditCode: typeof node.respondentCreditCode === 'string' ? node.respondentCreditCode : null,
  });
  if (!enterprise) return invalid('respondent name is empty once cleaned');
  const rawStatus = String(node.outcome);
  const status = weiquanStatus(rawStatus);
  const closedAt = parseTime(node.closedAt);
  const amount =
    typeof node.amount === 'number' && Number.isFinite(node.amount) && node.amount >= 0 ? node.amount : null;
  const record: ListingRecord = {
    source: ListingSource.Weiquan,
    externalId: id,
    url: null,
    enterpriseName: enterprise.displayName,
    enterpriseId: enterprise.id,
    enterpriseBasis: enterprise.basis,
    // Only an industry of the shared vocabulary: rankings are per industry, and '' or a typo would open one of its own.
    industry:
      typeof node.industry === 'string' && (INDUSTRIES as readonly string[]).includes(node.industry)
        ? node.industry
        : null,
    title: cleanText(node.title),
    issue: typeof node.issueType === 'string' ? node.issueType : null,
    demand: null,
    amount,
    status,
    rawStatus,
    createdAt,
    repliedAt: parseTime(node.respondedAt),
    completedAt: rawStatus === 'RESOLVED' ? closedAt : null,
    satisfaction: parseSatisfaction(node.satisfaction),
    rawHash: hashRaw(node),
  };
  return { item: { kind: 'record', record, detail: null }, publishedAt };
}

export function parsePublishedCases(body: string, request: PageRequest, context: CrawlContext): PageOutcome {
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { kind: 'malformed', reason: decoded.reason };
  const json = decoded.json;
  if (isObject(json) && Array.isArray(json.errors) && json.errors.length > 0) {
    const first = isObject(json.errors[0]) ? json.errors[0] : {};
    return { kind: 'malformed', reason: `GraphQL error: ${String(first.message ?? 'unknown')}` };
  }
  const connection =
    isObject(json) && isObject(json.data) && isObject(json.data.publishedCases) ? json.data.publishedCases : null;
  if (!connection || !Array.isArray(connection.edges) || !isObject(connection.pageInfo)) {
    return {
      kind: 'structure-changed',
      reason: 'no data.publishedCases { edges pageInfo }',
      sample: rawText(body, 500),
    };
  }
  const parsed = connection.edges.map((edge) => {
    let publishedAt: number | null = null;
    const item = itemSafely(edge, () => {
      const read = normalisePublishedCase(isObject(edge) ? edge.node : edge, context);
      publishedAt = read.publishedAt;
      return read.item;
    });
    return { item, publishedAt };
  });
  const published = parsed.flatMap((p) => (p.publishedAt === null ? [] : [p.publishedAt]));
  const endCursor = typeof connection.pageInfo.endCursor === 'string' ? connection.pageInfo.endCursor : null;
  const hasNext = connection.pageInfo.hasNextPage === true && endCursor !== null;
  return {
    kind: 'items',
    items: parsed.map((p) => p.item),
    next: hasNext ? publishedCasesRequest(request.url, request.page + 1, context.since, endCursor) : null,
    expectItems: false,
    progress: published.length ? Math.max(...published) : null,
  };
}

/** `baseUrl` is the cases subgraph's GraphQL endpoint (config.subgraphUrls.cases). */
export const weiquanAdapter: SourceAdapter = {
  source: ListingSource.Weiquan,
  checkRobots: false,
  overlapMs: 0,
  listCarriesState: true,
  firstPage: (context) => publishedCasesRequest(context.baseUrl, 1, context.since, null),
  parsePage: parsePublishedCases,
  // A cursor feed cannot jump over a page it could not read.
  skipPage: () => null,
};
