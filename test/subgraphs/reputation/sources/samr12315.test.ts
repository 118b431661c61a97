import { IdentityBasis } from '../../../../platform/enterprise/identity.ts';
import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  parseSamrPage,
  SAMR_TOKEN_MISSING,
  samr12315Adapter,
  samrExternalId,
  samrListUrl,
} from '../../../../subgraphs/reputation/sources/samr12315.ts';
import { context, fixture } from './context.ts';

const { rows } = JSON.parse(fixture('samr12315/rows.json')) as { rows: Array<Record<string, unknown>> };
const body = (list: unknown[], total = list.length) => JSON.stringify({ total, rows: list });
const BASE = 'http://fixture.test/samr/public-web';
const RANGE = { from: '2026-01-01', to: '2026-01-31' };
const ctx = context({ baseUrl: BASE, credential: 'tok' });

function parse(text: string) {
  const outcome = parseSamrPage(text, { url: samrListUrl(BASE, RANGE, 0), page: 1 }, ctx);
  if (outcome.kind !== 'items') throw new Error(outcome.kind);
  return outcome;
}

test('rows become records: credit code resolution, result as status, endtime as the time', () => {
  const [first, second] = parse(body(rows)).items;
  expect(first.kind === 'record' && first.record).toMatchObject({
    externalId: 'SAMR2026000090',
    enterpriseBasis: IdentityBasis.CreditCode,
    status: ListingStatus.Completed,
    rawStatus: '调解成功',
    createdAt: Date.UTC(2026, 0, 20, 1, 30),
    completedAt: Date.UTC(2026, 0, 20, 1, 30),
    issue: '网购商品质量问题要求退货',
  });
  expect(second.kind === 'record' && second.record).toMatchObject({
    status: ListingStatus.Closed,
    completedAt: null,
    enterpriseBasis: IdentityBasis.Name,
  });
});

test('a row without a business name or with a bad endtime is invalid; a bad credit code falls back to the name', () => {
  const items = parse(body(rows)).items;
  const invalid = items.filter((item) => item.kind === 'invalid').map((item) => item.kind === 'invalid' && item.reason);
  expect(invalid).toEqual(['missing entName', 'unreadable endtime "2026-13-45"']);
  const badCode = items.find((item) => item.kind === 'record' && item.record.externalId === 'SAMR2026000098');
  expect(badCode?.kind === 'record' && badCode.record.enterpriseBasis).toBe(IdentityBasis.Name);
});

test('a row without an id gets a stable id from its identifying fields', () => {
  const row = rows.find((r) => r.id === undefined)!;
  expect(samrExternalId(row)).toBe(samrExternalId({ ...row }));
  expect(samrExternalId(row)).not.toBe(samrExternalId({ ...row, endtime: '2026-01-09 10:00:00' }));
});

test('pages follow the offset within the date range, with the token on every request', () => {
  const next = parse(body(rows.slice(0, 2), 120)).next!;
  expect(next.url).toBe(`${BASE}/complaint/list?startDate=2026-01-01&endDate=2026-01-31&offset=2&limit=50`);
  expect(next.headers).toMatchObject({ token: 'tok' });
  expect(parse(body(rows.slice(0, 2), 2)).next).toBeNull();
});

test('changed keys are a structure change; truncated JSON is a malformed page', () => {
  const first = { url: samrListUrl(BASE, RANGE, 0), page: 1 };
  expect(parseSamrPage(JSON.stringify({ data: { records: [] } }), first, ctx).kind).toBe('structure-changed');
  expect(parseSamrPage('{"rows":[{"en', first, ctx).kind).toBe('malformed');
});

test('without a token the source is LOGIN_REQUIRED before any request, saying how to provide one', () => {
  expect(samr12315Adapter.precondition!(context({ baseUrl: BASE }))).toEqual({
    kind: 'login-required',
    code: 'token-missing',
    message: SAMR_TOKEN_MISSING,
  });
  expect(SAMR_TOKEN_MISSING).toContain('SOURCE_12315_TOKEN');
  expect(SAMR_TOKEN_MISSING).toContain('never solve');
  expect(samr12315Adapter.precondition!(ctx)).toBeNull();
});

test('a rejected or expired token asks for a new one; it is not taken for a redesign', () => {
  const first = { url: samrListUrl(BASE, RANGE, 0), page: 1 };
  expect(parseSamrPage('{"code":401,"msg":"token已过期"}', first, ctx)).toMatchObject({
    kind: 'login-required',
    code: 'token-rejected',
  });
  expect(parseSamrPage('{"rows":[]}', first, ctx)).toMatchObject({ kind: 'login-required', code: 'token-expired' });
  expect(parseSamrPage('{"rows":[]}', { ...first, page: 2 }, ctx)).toMatchObject({ kind: 'items', next: null });
});

test('the first page covers the re-read window, or the last 30 days on a first crawl, in China days', () => {
  const now = Date.UTC(2026, 0, 20, 18); // 02:00 on 21 January in China
  const first = new URL(samr12315Adapter.firstPage(context({ baseUrl: BASE, credential: 't', now: () => now })).url);
  expect([first.searchParams.get('startDate'), first.searchParams.get('endDate')]).toEqual([
    '2025-12-22',
    '2026-01-21',
  ]);
  const since = Date.UTC(2026, 0, 10);
  const reread = new URL(samr12315Adapter.firstPage(context({ baseUrl: BASE, since, now: () => now })).url);
  expect(reread.searchParams.get('startDate')).toBe('2026-01-10');
});

test('a row with a valid credit code but no business name is kept, identified by the code', () => {
  const [item] = parse(
    body([
      {
        id: 'SAMR1',
        entName: '',
        creditNo: '91440300708461136T',
        entAddr: '',
        content: '退款',
        res: '调解成功',
        department: '某局',
        endtime: '2026-01-09 10:00:00',
      },
    ]),
  ).items;
  expect(item.kind === 'record' && item.record).toMatchObject({
    enterpriseBasis: IdentityBasis.CreditCode,
    enterpriseName: '91440300708461136T',
  });
  const [withName] = parse(body(rows.slice(0, 1))).items;
  expect(item.kind === 'record' && withName.kind === 'record' && item.record.enterpriseId).toBe(
    withName.kind === 'record' && withName.record.enterpriseId,
  );
});
