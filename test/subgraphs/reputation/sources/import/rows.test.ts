import { enterpriseResolver } from '../../../../../platform/enterprise/aliases.ts';
import { IdentityBasis } from '../../../../../platform/enterprise/identity.ts';
import { ListingStatus } from '../../../../../subgraphs/reputation/domain/listing.ts';
import { importColumn, normaliseImportRow } from '../../../../../subgraphs/reputation/sources/import/rows.ts';

const ctx = { source: 'blackcat' as const, resolver: enterpriseResolver() };
const valid = {
  source_id: 'A1',
  enterprise_name: '<em>京东</em>自营',
  created_at: '2026-01-15 08:10',
  status: 'completed',
  completed_at: '2026-01-16 09:00',
  amount: '1,299.00元',
  satisfaction: '4',
  industry: 'ecommerce',
  url: 'https://tousu.sina.com.cn/complaint/view/1/',
};

test('a valid row is normalised like a crawled item: name cleaned and resolved, China time, amount, vocabulary', () => {
  const item = normaliseImportRow(valid, ctx);
  expect(item).toMatchObject({
    kind: 'record',
    record: {
      source: 'blackcat',
      externalId: 'A1',
      enterpriseName: '京东自营',
      enterpriseBasis: IdentityBasis.Alias,
      createdAt: Date.UTC(2026, 0, 15, 0, 10),
      completedAt: Date.UTC(2026, 0, 16, 1),
      status: ListingStatus.Completed,
      rawStatus: ListingStatus.Completed,
      amount: 1299,
      satisfaction: 4,
      industry: 'ECOMMERCE',
      url: 'https://tousu.sina.com.cn/complaint/view/1/',
    },
  });
});

test('every invalid field is named with what was expected and what was got', () => {
  const item = normaliseImportRow(
    { source_id: ' ', created_at: '2026-13-45', status: 'done', amount: '-3', satisfaction: 9, url: 'javascript:x' },
    ctx,
  );
  expect(item.kind).toBe('invalid');
  const reason = item.kind === 'invalid' ? item.reason : '';
  expect(reason).toContain('source_id: required');
  expect(reason).toContain('created_at: expected a date-time');
  expect(reason).toContain('got "2026-13-45"');
  expect(reason).toContain('status: required: one of PENDING, IN_PROGRESS, REPLIED, COMPLETED, CLOSED, UNKNOWN');
  expect(reason).toContain('amount: expected an amount in CNY ≥ 0, got "-3"');
  expect(reason).toContain('satisfaction: expected an integer 1-5, got 9');
  expect(reason).toContain('url: an http(s) URL');
});

test('cross-field rules: a business is required, times cannot precede filing, completion needs COMPLETED', () => {
  const reasons = [
    { ...valid, enterprise_name: '' },
    { ...valid, completed_at: '2026-01-01' },
    { ...valid, status: 'REPLIED' },
  ].map((row) => {
    const item = normaliseImportRow(row, ctx);
    return item.kind === 'invalid' ? item.reason : item.kind;
  });
  expect(reasons).toEqual([
    'enterprise_name: required unless credit_code is given',
    'completed_at: earlier than created_at',
    'completed_at: given, but status is REPLIED',
  ]);
  const byCode = normaliseImportRow({ ...valid, enterprise_name: '', credit_code: '91440300708461136T' }, ctx);
  expect(byCode.kind === 'record' && byCode.record.enterpriseBasis).toBe(IdentityBasis.CreditCode);
});

test('the hash covers the values only: the same data from another file or row is unchanged', () => {
  const a = normaliseImportRow(valid, ctx);
  const b = normaliseImportRow({ ...valid, amount: '1299' }, ctx);
  const c = normaliseImportRow({ ...valid, demand: '退款' }, ctx);
  expect(a.kind === 'record' && b.kind === 'record' && a.record.rawHash === b.record.rawHash).toBe(true);
  expect(a.kind === 'record' && c.kind === 'record' && a.record.rawHash !== c.record.rawHash).toBe(true);
});

test("headers are read in any case and spacing, and in the Chinese of journalists' exports", () => {
  expect(
    ['Source ID', 'source-id', ' CREATED_AT ', '投诉编号', '投诉对象', '\uFEFFstatus', '备注'].map(importColumn),
  ).toEqual(['source_id', 'source_id', 'created_at', 'source_id', 'enterprise_name', 'status', null]);
});

test('an XLSX date (wall-clock read as UTC) is taken as China time', () => {
  const item = normaliseImportRow(
    { ...valid, created_at: new Date(Date.UTC(2026, 0, 15, 8, 10)), completed_at: '' },
    ctx,
  );
  expect(item.kind === 'record' && item.record.createdAt).toBe(Date.UTC(2026, 0, 15, 0, 10));
});
