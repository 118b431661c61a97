import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import { parsePublishedCases, publishedCasesRequest } from '../../../../subgraphs/reputation/sources/weiquan.ts';
import { IdentityBasis } from '../../../../platform/enterprise/identity.ts';
import { context, fixture } from './context.ts';

const { cases } = JSON.parse(fixture('weiquan/published-cases.json')) as { cases: Array<Record<string, unknown>> };
const ctx = context({ baseUrl: 'http://cases.test/graphql' });
const page = (nodes: unknown[], hasNextPage = false) =>
  JSON.stringify({
    data: {
      publishedCases: {
        edges: nodes.map((node, i) => ({ cursor: `c${i}`, node })),
        pageInfo: { hasNextPage, endCursor: nodes.length ? `c${nodes.length - 1}` : null },
      },
    },
  });

test('published cases become records with outcome mapped and the same enterprise id as cases computes', () => {
  const outcome = parsePublishedCases(page(cases), publishedCasesRequest(ctx.baseUrl, 1, null, null), ctx);
  if (outcome.kind !== 'items') throw new Error(outcome.kind);
  const [first, , third] = outcome.items;
  expect(first.kind === 'record' && first.record).toMatchObject({
    externalId: 'case_001',
    status: ListingStatus.Completed,
    rawStatus: 'RESOLVED',
    enterpriseBasis: IdentityBasis.CreditCode,
    industry: 'INTERNET_SERVICES',
    satisfaction: 5,
    createdAt: Date.UTC(2026, 0, 2, 1),
    repliedAt: Date.UTC(2026, 0, 4, 7),
    completedAt: Date.UTC(2026, 0, 10, 2),
  });
  expect(first.kind === 'record' && first.record.enterpriseId).toBe(
    ctx.resolver.resolve({ name: 'x', creditCode: '91440300708461136T' }).id,
  );
  expect(third.kind === 'record' && third.record).toMatchObject({ status: ListingStatus.Closed, completedAt: null });
  expect(outcome.progress).toBe(Date.UTC(2026, 0, 15, 4));
});

test('the next page follows the cursor and keeps publishedSince', () => {
  const since = Date.UTC(2026, 0, 1);
  const outcome = parsePublishedCases(
    page(cases.slice(0, 2), true),
    publishedCasesRequest(ctx.baseUrl, 1, since, null),
    context({ baseUrl: ctx.baseUrl, since }),
  );
  if (outcome.kind !== 'items') throw new Error(outcome.kind);
  expect(JSON.parse(outcome.next!.body!).variables).toMatchObject({
    after: 'c1',
    publishedSince: '2026-01-01T00:00:00.000Z',
  });
  expect(JSON.parse(outcome.next!.body!).query).not.toContain('complainantName');
});

test('GraphQL errors fail the page; a response without publishedCases is a structure change', () => {
  expect(
    parsePublishedCases('{"errors":[{"message":"boom"}]}', publishedCasesRequest(ctx.baseUrl, 1, null, null), ctx),
  ).toMatchObject({ kind: 'malformed' });
  expect(parsePublishedCases('{"data":{}}', publishedCasesRequest(ctx.baseUrl, 1, null, null), ctx).kind).toBe(
    'structure-changed',
  );
});

test('a case without a respondent name is invalid', () => {
  const outcome = parsePublishedCases(
    page([{ ...cases[0], respondentName: null }]),
    publishedCasesRequest(ctx.baseUrl, 1, null, null),
    ctx,
  );
  expect(outcome.kind === 'items' && outcome.items[0]).toMatchObject({
    kind: 'invalid',
    missingFields: ['respondentName'],
  });
});

test(
  'an industry outside the shared vocabulary (empty, a typo) ' +
    'is dropped to null, never ranked as an industry of its own',
  () => {
    const outcome = parsePublishedCases(
      page([{ ...cases[0], industry: '' }, { ...cases[0], id: 'case_x', industry: 'ECOMERCE' }, cases[0]]),
      publishedCasesRequest(ctx.baseUrl, 1, null, null),
      ctx,
    );
    if (outcome.kind !== 'items') throw new Error(outcome.kind);
    expect(outcome.items.map((item) => item.kind === 'record' && item.record.industry)).toEqual([
      null,
      null,
      'INTERNET_SERVICES',
    ]);
  },
);
