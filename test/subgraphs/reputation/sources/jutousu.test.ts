import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  applyJutousuDetail,
  parseJutousuDetail,
  parseJutousuList,
} from '../../../../subgraphs/reputation/sources/jutousu.ts';
import { jutousuDetailHtml } from '../../../../scripts/fixture-server.ts';
import { context, fixture } from './context.ts';

const data = JSON.parse(fixture('jutousu/posts.json')) as {
  postList: Array<Record<string, unknown>>;
  details: Record<string, Parameters<typeof jutousuDetailHtml>[1]>;
};
const ctx = context({ baseUrl: 'http://fixture.test/21cn' });

test('the post list yields one detail request per post and never keeps the user name', () => {
  const outcome = parseJutousuList(
    JSON.stringify({ code: 0, data: { postList: data.postList, pageNo: 1, totalPage: 1 } }),
    { url: 'u', page: 1 },
    ctx,
  );
  if (outcome.kind !== 'items') throw new Error(outcome.kind);
  const pending = outcome.items.filter((item) => item.kind === 'needs-detail');
  expect(pending).toHaveLength(7);
  expect(pending[0].kind === 'needs-detail' && pending[0].detail.url).toBe(
    'http://fixture.test/21cn/tousu/show/id/880007',
  );
  expect(JSON.stringify(outcome.items)).not.toContain('username');
  expect(outcome.items.filter((item) => item.kind === 'invalid')).toHaveLength(1);
});

test('the detail page completes the record: business, status, amount, reply and completion times', () => {
  const post = data.postList[0];
  const html = jutousuDetailHtml(post, data.details[String(post.id)]);
  const outcome = applyJutousuDetail({ externalId: String(post.id), raw: post }, html, ctx);
  expect(outcome).toMatchObject({
    kind: 'record',
    record: {
      enterpriseName: '中国电信股份有限公司',
      status: ListingStatus.Completed,
      rawStatus: '已完成',
      amount: 120,
      repliedAt: Date.UTC(2026, 0, 16, 10),
      completedAt: Date.UTC(2026, 0, 18, 4),
    },
  });
});

test('tags in the business name are removed', () => {
  const post = data.postList[1];
  const outcome = applyJutousuDetail(
    { externalId: String(post.id), raw: post },
    jutousuDetailHtml(post, data.details[String(post.id)]),
    ctx,
  );
  expect(outcome.kind === 'record' && outcome.record.enterpriseName).toBe('某某在线教育');
});

test('a detail page without the business is invalid; a redesigned page is not read at all', () => {
  const post = data.postList[3];
  expect(
    applyJutousuDetail(
      { externalId: String(post.id), raw: post },
      jutousuDetailHtml(post, data.details[String(post.id)]),
      ctx,
    ),
  ).toMatchObject({ kind: 'invalid', missingFields: ['投诉对象'] });
  expect(parseJutousuDetail(jutousuDetailHtml(post, data.details[String(post.id)], true))).toBeNull();
});
