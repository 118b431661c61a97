import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import { hashRaw } from '../../../../subgraphs/reputation/domain/normalise.ts';
import {
  applyBlackCatDetail,
  blackCatDetailUrl,
  blackCatFeedUrl,
  blackCatNextPage,
  blackCatSignature,
  parseBlackCatDetail,
  parseBlackCatFeed,
} from '../../../../subgraphs/reputation/sources/blackcat.ts';
import { IdentityBasis } from '../../../../platform/enterprise/identity.ts';
import { blackCatAdapter } from '../../../../subgraphs/reputation/sources/blackcat.ts';
import { context, fixture } from './context.ts';

const blackCatAdapterFirst = (ctx: ReturnType<typeof context>) => blackCatAdapter.firstPage(ctx).url;

const feed = JSON.parse(fixture('blackcat/feed.json')) as { feed: Array<Record<string, unknown>> };
const envelope = (lists: unknown[], pager: object = { current: 1, next: 2, page_amount: 2 }, code = 0) =>
  JSON.stringify({ result: { status: { code, msg: '' }, data: { lists, pager } } });
const page1 = envelope(feed.feed.slice(0, 10).map((main) => ({ main })));

function records(body: string, ctx = context()) {
  const outcome = parseBlackCatFeed(body, { url: 'u', page: 1 }, ctx);
  if (outcome.kind !== 'items') throw new Error(`expected items, got ${outcome.kind}`);
  return outcome;
}

test('a feed page becomes records with the common status and the raw code kept', () => {
  const outcome = records(page1);
  const parsed = outcome.items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
  expect(parsed.map((r) => [r.rawStatus, r.status])).toEqual(
    expect.arrayContaining([
      ['3', ListingStatus.Pending],
      ['4', ListingStatus.InProgress],
      ['6', ListingStatus.Replied],
      ['7', ListingStatus.Completed],
      ['5', ListingStatus.Unknown],
    ]),
  );
  expect(outcome.next).toMatchObject({ page: 2 });
  expect(outcome.next!.url).toContain('page=2');
  expect(outcome.expectItems).toBe(true);
});

test('merchant names lose tags and entities, and resolve through the alias table', () => {
  const [first, second] = records(page1).items;
  expect(first.kind === 'record' && first.record).toMatchObject({
    enterpriseName: '京东自营',
    enterpriseBasis: IdentityBasis.Alias,
    amount: 199,
    externalId: '17390000112',
  });
  expect(second.kind === 'record' && second.record.enterpriseName).toBe('某某&优选旗舰店');
});

test('an item without cotitle or with an unreadable timestamp is invalid with the reason', () => {
  const invalid = records(page1).items.filter((item) => item.kind === 'invalid');
  expect(invalid.map((item) => item.kind === 'invalid' && item.reason)).toEqual([
    'missing cotitle',
    'unreadable timestamp "昨天"',
  ]);
  expect(invalid[0].kind === 'invalid' && invalid[0].missingFields).toEqual(['cotitle']);
});

test('answered complaints ask for their detail page, pending ones do not', () => {
  const items = records(page1).items.filter((item) => item.kind === 'record');
  for (const item of items) {
    if (item.kind !== 'record') continue;
    const answered = [ListingStatus.Replied, ListingStatus.Completed, ListingStatus.Closed].includes(
      item.record.status as never,
    );
    expect(item.detail !== null).toBe(answered);
  }
});

test('login-required codes 10005 and 10017 stop the source', () => {
  for (const code of [10005, 10017]) {
    expect(parseBlackCatFeed(envelope([], {}, code), { url: 'u', page: 1 }, context())).toMatchObject({
      kind: 'login-required',
      code: String(code),
    });
  }
});

test('truncated JSON is a malformed page, a missing lists array is a structure change', () => {
  expect(parseBlackCatFeed(page1.slice(0, 200), { url: 'u', page: 1 }, context()).kind).toBe('malformed');
  expect(
    parseBlackCatFeed(
      JSON.stringify({ result: { status: { code: 0 }, data: { items: [] } } }),
      { url: 'u', page: 1 },
      context(),
    ).kind,
  ).toBe('structure-changed');
  expect(parseBlackCatFeed('{"other":1}', { url: 'u', page: 1 }, context()).kind).toBe('structure-changed');
});

test('a page entirely older than the checkpoint ends the crawl', () => {
  expect(records(page1, context({ since: Date.UTC(2030, 0, 1) })).next).toBeNull();
  expect(records(page1, context({ since: Date.UTC(2020, 0, 1) })).next).not.toBeNull();
});

test('the detail page gives the reply time from its timeline and keeps nothing it cannot read', () => {
  const detail = parseBlackCatDetail(fixture('blackcat/detail-sample.html'))!;
  expect(detail.labels.投诉对象).toBe('ＯＰＰＯ官方旗舰店');
  expect(detail.labels.涉诉金额).toBe('3299元');
  expect(detail.timeline.map((step) => step.status)).toEqual(['发起投诉', '回复']);
  const [, , replied] = records(page1).items;
  if (replied.kind !== 'record') throw new Error('expected a record');
  const enriched = applyBlackCatDetail(replied.record, fixture('blackcat/detail-sample.html'));
  expect(enriched).toMatchObject({
    kind: 'record',
    record: { repliedAt: Date.UTC(2026, 0, 8, 17), completedAt: null },
  });
});

test('a detail page without ul.ts-q-list is reported, not guessed', () => {
  expect(parseBlackCatDetail('<html><ul class="q-list-v2"></ul></html>')).toBeNull();
});

test(
  'every field of a feed item is normalised: ids, URL, names, ' +
    'texts, amount, status with raw code, time, satisfaction, hash',
  () => {
    const items = records(envelope(feed.feed.map((main) => ({ main })))).items;
    const byId = new Map(
      items.flatMap((item) => (item.kind === 'record' ? [[item.record.externalId, item.record] as const] : [])),
    );
    const main = feed.feed.find((m) => m.sn === '17390000109')!;
    expect(byId.get('17390000109')).toEqual({
      source: 'blackcat',
      externalId: '17390000109',
      url: 'http://tousu.sina.com.cn/complaint/view/17390000109/?sld=e49adb17eeb1aadbe192e8848cc64b94',
      enterpriseName: '腾讯客服',
      enterpriseId: expect.stringMatching(/^ent1_[0-9a-f]{20}$/),
      enterpriseBasis: expect.any(String),
      industry: null,
      title: '会员自动续费未提醒',
      issue: '扣费问题',
      demand: '退还续费金额',
      amount: 25,
      status: ListingStatus.Completed,
      rawStatus: '7',
      createdAt: 1767798000 * 1000,
      repliedAt: null,
      completedAt: null,
      satisfaction: 4,
      rawHash: hashRaw({ ...main, upvote_amount: undefined }),
    });
    // Every Black Cat state, 8 included; a state we do not know keeps its code and says UNKNOWN.
    expect(byId.get('17390000102')).toMatchObject({
      status: ListingStatus.Closed,
      rawStatus: '8',
      amount: 12800,
      satisfaction: null,
      enterpriseName: '某某 教育 科技有限公司',
    });
    expect(byId.get('17390000103')).toMatchObject({ status: ListingStatus.Unknown, rawStatus: '5' });
    // Missing optional fields are null, never a default that looks real.
    expect(byId.get('17390000107')).toMatchObject({ amount: null });
    // Tags and entities leave the published name.
    expect(byId.get('17390000106')!.enterpriseName).toBe('顺丰速运');
    expect(byId.get('17390000111')!.enterpriseName).toBe('某某&优选旗舰店');
    expect([...byId.values()].map((r) => r.status).sort()).toEqual(
      expect.arrayContaining(['CLOSED', 'COMPLETED', 'IN_PROGRESS', 'PENDING', 'REPLIED', 'UNKNOWN']),
    );
  },
);

test(
  'a published link that does not parse or is not http(s) falls ' +
    'back to the canonical detail page, never failing the page',
  () => {
    const base = feed.feed.find((m) => m.sn === '17390000109')!;
    const links = [
      'http://[x',
      'javascript:alert(1)',
      ' data:text/html,<script>1</script>',
      '/complaint/view/17390000109/',
    ];
    const items = records(envelope(links.map((url, i) => ({ main: { ...base, sn: `1739000011${i}`, url } })))).items;
    expect(items.map((item) => (item.kind === 'record' ? item.record.url : item.kind))).toEqual([
      'http://fixture.test/blackcat/complaint/view/17390000110/',
      'http://fixture.test/blackcat/complaint/view/17390000111/',
      'http://fixture.test/blackcat/complaint/view/17390000112/',
      // A relative link is kept, resolved against the source.
      'http://fixture.test/complaint/view/17390000109/',
    ]);
  },
);

test(
  'an item that cannot be read (an id that does not encode, a value nested too ' +
    'deep to hash) is invalid on its own; the good items of its page are kept',
  () => {
    const base = feed.feed.find((m) => m.sn === '17390000109')!;
    // Nested 200,000 deep: JSON.parse reads it, but hashing the item recurses past the stack.
    const deep = `${'['.repeat(200_000)}"bottom"${']'.repeat(200_000)}`;
    const body = envelope([
      { main: base },
      { main: { ...base, sn: '\ud800' } },
      { main: { ...base, sn: '17390000120', extra: 'DEEP' } },
    ]).replace('"DEEP"', deep);
    const items = records(body).items;
    expect(items.map((item) => item.kind)).toEqual(['record', 'invalid', 'invalid']);
    for (const item of items.slice(1))
      expect(item.kind === 'invalid' && item.reason).toMatch(/the item could not be read/);
  },
);

test(
  'the feed signature is the sha256 of the sorted ts, rs, ' +
    'salt, type, page_size and page, as recorded requests show',
  () => {
    // Two signed requests recorded in public scrapers (search index files 32224169279, 2024, and
    // 14114683051, 2020): our formula gives exactly the signature the site's own script produced.
    expect(blackCatSignature({ ts: '1719790751270', rs: 'q48wKoCjN7c7DKqv' }, { type: 1, pageSize: 10, page: 1 })).toBe(
      'f227d045c8c687436b2091183f0f1bd78a5b371019783da890f17fc6306eba26',
    );
    expect(blackCatSignature({ ts: '1607185777743', rs: '3Tim1wwOCNQSuK18' }, { type: 1, pageSize: 10, page: 6 })).toBe(
      '1742f2a1fd003f87f0315cc2d305afd68dbb6227e35992d5f00879166084c660',
    );
    const url = new URL(blackCatFeedUrl('http://x.test', 2, { ts: '1719790751270', rs: 'q48wKoCjN7c7DKqv' }));
    expect([...url.searchParams.keys()]).toEqual(['ts', 'rs', 'signature', 'type', 'page_size', 'page']);
  },
);

test('the signing clock and randomness come from the context: the first page is reproducible', () => {
  const ctx = context({ now: () => 1719790751270, random: () => 0.5 });
  const first = new URL(blackCatAdapterFirst(ctx));
  expect(first.searchParams.get('ts')).toBe('1719790751270');
  expect(first.searchParams.get('rs')).toMatch(/^[0-9A-Za-z]{16}$/);
  expect(blackCatAdapterFirst(ctx)).toBe(first.toString());
});

test(
  'both pager forms give the next page: `next` when present, ' + 'else current + 1 within page_amount or item_count',
  () => {
    expect(blackCatNextPage({ current: 1, next: 2, page_amount: 50 }, 1, 10, 10).next).toBe(2);
    expect(blackCatNextPage({ current: 5, next: 0, page_amount: 5 }, 5, 10, 10).next).toBeNull();
    expect(blackCatNextPage({ current: 1, page_amount: 3, item_count: 30 }, 1, 10, 10).next).toBe(2);
    expect(blackCatNextPage({ current: 3, page_amount: 3, item_count: 30 }, 3, 10, 10).next).toBeNull();
    expect(blackCatNextPage({ current: 2, item_count: 25 }, 2, 10, 10).next).toBe(3);
    expect(blackCatNextPage({ current: 3, item_count: 25 }, 3, 10, 5).next).toBeNull();
    expect(blackCatNextPage({ current: 50, page_amount: 500 }, 50, 10, 10).next).toBeNull();
    const outcome = records(
      envelope(
        feed.feed.slice(0, 10).map((main) => ({ main })),
        { current: 1, page_amount: 2 },
      ),
    );
    expect(new URL(outcome.next!.url).searchParams.get('page')).toBe('2');
  },
);

test('code 10019 ends the feed with its reason; it is neither a failure nor a structure change', () => {
  expect(parseBlackCatFeed(envelope([], {}, 10019), { url: 'u', page: 4 }, context())).toEqual({
    kind: 'items',
    items: [],
    next: null,
    expectItems: false,
    progress: null,
    endReason: 'page 4 does not exist (code 10019): end of the feed',
  });
});

test('status 1 (通过审核, passed review) is pending, not unknown', () => {
  const base = feed.feed.find((m) => m.sn === '17390000109')!;
  const [item] = records(envelope([{ main: { ...base, status: 1 } }])).items;
  expect(item.kind === 'record' && [item.record.status, item.record.rawStatus]).toEqual([ListingStatus.Pending, '1']);
});

test(
  'the detail page keeps the sld parameter of the published ' + 'link; without one the canonical page is asked for',
  () => {
    const base = 'http://fixture.test/blackcat';
    expect(blackCatDetailUrl(base, '17390000112', '//tousu.sina.com.cn/complaint/view/17390000112/?sld=abc123')).toBe(
      'http://fixture.test/blackcat/complaint/view/17390000112/?sld=abc123',
    );
    expect(blackCatDetailUrl(base, '17390000112', '//tousu.sina.com.cn/complaint/view/17390000112/')).toBe(
      'http://fixture.test/blackcat/complaint/view/17390000112/',
    );
    // A link to another complaint lends nothing.
    expect(blackCatDetailUrl(base, '17390000112', '//tousu.sina.com.cn/complaint/view/1/?sld=zzz')).toBe(
      'http://fixture.test/blackcat/complaint/view/17390000112/',
    );
    const answered = records(page1).items.find((i) => i.kind === 'record' && i.record.externalId === '17390000110');
    expect(answered?.kind === 'record' && answered.detail?.url).toMatch(
      /\/complaint\/view\/17390000110\/\?sld=[0-9a-f]{32}$/,
    );
  },
);
