import { IdentityBasis } from '../../../../platform/enterprise/identity.ts';
import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import { parseSamrPage, samrExternalId } from '../../../../subgraphs/reputation/sources/samr12315.ts';
import { context, fixture } from './context.ts';

const { rows } = JSON.parse(fixture('samr12315/rows.json')) as { rows: Array<Record<string, unknown>> };
const body = (list: unknown[], total = list.length) =>
  JSON.stringify({ code: 0, data: { total, pageNo: 1, pageSize: 50, list } });

function parse(text: string) {
  const outcome = parseSamrPage(text, { url: 'u', page: 1 }, context({ baseUrl: 'http://fixture.test/samr' }));
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

test('pagination follows total and pageSize; changed keys are a structure change', () => {
  expect(parse(body(rows.slice(0, 2), 120)).next?.url).toContain('pageNo=2');
  expect(parse(body(rows.slice(0, 2), 2)).next).toBeNull();
  expect(parseSamrPage(JSON.stringify({ code: 0, data: { records: [] } }), { url: 'u', page: 1 }, context()).kind).toBe(
    'structure-changed',
  );
  expect(parseSamrPage('{"code":0,"data":{"li', { url: 'u', page: 1 }, context()).kind).toBe('malformed');
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
