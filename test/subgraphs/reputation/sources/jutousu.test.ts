import { jutousuListHtml, jutousuPostPage } from '../../../../scripts/fixture-server/jutousu.ts';
import type { FixtureDataset } from '../../../../scripts/fixture-server/types.ts';
import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  applyJutousuDetail,
  jutousuNextUrl,
  parseJutousuList,
  parseJutousuListHtml,
} from '../../../../subgraphs/reputation/sources/jutousu.ts';
import { context, fixture } from './context.ts';

const data = JSON.parse(fixture('jutousu/posts.json')) as {
  postList: Array<Record<string, unknown>>;
  details: FixtureDataset['jutousuDetails'];
};
const ctx = context({ baseUrl: 'http://fixture.test/21cn' });
const LIST = 'http://fixture.test/21cn/json/indexPcMorePost/order/ctime/pageNo/1';

function items(body: string, url = LIST) {
  const outcome = parseJutousuList(body, { url, page: 1 }, ctx);
  if (outcome.kind !== 'items') throw new Error(outcome.kind);
  return outcome;
}

function content(id: string) {
  const { postKey: _key, ...facts } = data.details[id];
  return JSON.stringify({ post: { id, username: '用户0000', ...facts } });
}

test(
  'the JSON list form yields one detail request per post, ' + 'pages by its offset, and never keeps the user name',
  () => {
    const outcome = items(JSON.stringify({ postList: data.postList, offset: '880001' }));
    const pending = outcome.items.filter((item) => item.kind === 'needs-detail');
    expect(pending).toHaveLength(7);
    expect(pending[0].kind === 'needs-detail' && pending[0].detail.url).toBe(
      'http://fixture.test/21cn/tousu/show/id/880007',
    );
    expect(JSON.stringify(outcome.items)).not.toContain('username');
    expect(outcome.items.filter((item) => item.kind === 'invalid')).toHaveLength(1);
    expect(outcome.next?.url).toBe('http://fixture.test/21cn/json/indexPcMorePost/order/ctime/pageNo/2/offset/880001');
  },
);

test('the {message: "<html>"} form is read from div.ind_list_all: id, business, title and time', () => {
  const html = jutousuListHtml(data.postList.slice(0, 2), data.details);
  const [first] = parseJutousuListHtml(html);
  expect(first).toEqual({
    id: '880007',
    title: '宽带无法使用仍扣费',
    merchant: '中国电信股份有限公司',
    shortTopic: '消费者反映问题',
    ctime: data.postList[0].ctime,
  });
  const outcome = items(JSON.stringify({ message: html }));
  expect(outcome.items.map((item) => item.kind)).toEqual(['needs-detail', 'needs-detail']);
  expect(JSON.stringify(outcome.items)).not.toContain('用户');
  expect(outcome.next?.url).toBe('http://fixture.test/21cn/json/indexPcMorePost/order/ctime/pageNo/2');
});

test('an empty page ends the list; a login page, an unknown answer and a message without posts are reported', () => {
  expect(parseJutousuList('{"postList":[],"offset":""}', { url: LIST, page: 2 }, ctx)).toMatchObject({
    kind: 'items',
    next: null,
  });
  expect(parseJutousuList('<html>请先登录聚投诉</html>', { url: LIST, page: 1 }, ctx).kind).toBe('login-required');
  expect(parseJutousuList('{"data":{"posts":[]}}', { url: LIST, page: 1 }, ctx).kind).toBe('structure-changed');
  expect(parseJutousuList('{"message":"<div class=\\"x\\"></div>"}', { url: LIST, page: 1 }, ctx).kind).toBe(
    'structure-changed',
  );
});

test('the next page keeps the URL form: path segments or query parameters', () => {
  expect(jutousuNextUrl('http://h/json/merchantPostList/merchantId/7/listType/1/pageNo/3/offset/abc', 'def')).toBe(
    'http://h/json/merchantPostList/merchantId/7/listType/1/pageNo/4/offset/def',
  );
  expect(jutousuNextUrl('http://h/front/api/search/searchPostList.do?pageNo=2&title=x', null)).toBe(
    'http://h/front/api/search/searchPostList.do?pageNo=3&title=x',
  );
});

test('a post page only leads to its getPostContent call; the JSON completes the record', () => {
  const post = data.postList[0];
  const item = { externalId: '880007', raw: { ...post, username: undefined } };
  const follow = applyJutousuDetail(item, jutousuPostPage(post, data.details['880007'].postKey), ctx);
  expect(follow).toEqual({
    kind: 'follow',
    request: { url: `http://fixture.test/21cn/json/getPostContent/postKey/${data.details['880007'].postKey}`, page: 0 },
  });
  const outcome = applyJutousuDetail(item, content('880007'), ctx);
  expect(outcome).toMatchObject({
    kind: 'record',
    record: {
      enterpriseName: '中国电信股份有限公司',
      title: '宽带无法使用仍扣费',
      issue: '扣费问题、乱扣费',
      demand: '退还费用',
      amount: null,
      status: ListingStatus.Unknown,
      rawStatus: '',
      createdAt: Number(post.ctime) * 1000,
    },
  });
  expect(outcome.kind === 'record' && JSON.stringify(outcome.record)).not.toContain('用户0000');
});

test('tags in the business name are removed; an empty business is invalid; a page without the key is reported', () => {
  const outcome = applyJutousuDetail({ externalId: '880006', raw: data.postList[1] }, content('880006'), ctx);
  expect(outcome.kind === 'record' && outcome.record.enterpriseName).toBe('某某在线教育');
  expect(applyJutousuDetail({ externalId: '880004', raw: data.postList[3] }, content('880004'), ctx)).toMatchObject({
    kind: 'invalid',
    missingFields: ['merchantname'],
  });
  const changed = jutousuPostPage(data.postList[0], 'k', true);
  expect(applyJutousuDetail({ externalId: '880007', raw: data.postList[0] }, changed, ctx)).toMatchObject({
    kind: 'invalid',
    missingFields: ['postKeyValue'],
  });
});
