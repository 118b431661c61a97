import type { ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';
import { listingKey, netListingChanges } from '../../../../subgraphs/reputation/domain/change-netting.ts';
import { contributionOf } from '../../../../subgraphs/reputation/domain/statistics.ts';
import { cstDay } from '../../../../subgraphs/reputation/domain/windows.ts';

const CREATED = Date.parse('2026-11-01T04:00:00Z');
const DAY = cstDay(CREATED);

function listing(overrides: Partial<ListingRecord> = {}): ListingRecord {
  return {
    source: 'blackcat',
    externalId: 'b1',
    url: null,
    enterpriseName: '演示速购网络科技有限公司',
    enterpriseId: 'ent_a',
    enterpriseBasis: 'NAME',
    industry: 'ECOMMERCE',
    title: null,
    issue: null,
    demand: null,
    amount: null,
    status: 'PENDING',
    rawStatus: 'pending',
    createdAt: CREATED,
    repliedAt: null,
    completedAt: null,
    satisfaction: null,
    rawHash: 'h',
    ...overrides,
  };
}

describe('netListingChanges', () => {
  it('a new listing adds its contribution, one complaint on its source day, and its name and industry', () => {
    const after = listing();
    const net = netListingChanges([{ before: null, after }]);
    expect(net.moved).toEqual(new Map([['ent_a', { removed: [], added: [contributionOf(after)] }]]));
    expect(net.sourceDays).toEqual([{ source: 'blackcat', day: DAY, n: 1 }]);
    expect(net.counts).toEqual(
      new Map([['ent_a', { names: new Map([[after.enterpriseName, 1]]), industries: new Map([['ECOMMERCE', 1]]) }]]),
    );
    expect(net.latest).toEqual(new Map([['blackcat:b1', contributionOf(after)]]));
  });

  it('a status change moves one contribution out and one in, and nets source days and counts to nothing', () => {
    const before = listing();
    const after = listing({ status: 'REPLIED', repliedAt: CREATED + 3_600_000 });
    const net = netListingChanges([{ before, after }]);
    expect(net.moved).toEqual(
      new Map([['ent_a', { removed: [contributionOf(before)], added: [contributionOf(after)] }]]),
    );
    expect(net.sourceDays).toEqual([]);
    expect(net.counts).toEqual(new Map());
  });

  it('a change of published name only moves no contribution, and moves the name count', () => {
    const before = listing();
    const after = listing({ enterpriseName: '演示速购官方旗舰店' });
    const net = netListingChanges([{ before, after }]);
    expect(net.moved).toEqual(new Map());
    expect(net.latest).toEqual(new Map());
    expect(net.sourceDays).toEqual([]);
    expect(net.counts).toEqual(
      new Map([
        [
          'ent_a',
          {
            names: new Map([
              ['演示速购网络科技有限公司', -1],
              ['演示速购官方旗舰店', 1],
            ]),
            industries: new Map(),
          },
        ],
      ]),
    );
  });

  it('a listing written again unchanged (a new raw hash, say) costs nothing', () => {
    const net = netListingChanges([{ before: listing(), after: listing({ rawHash: 'h2', title: '新标题' }) }]);
    expect(net).toEqual({ moved: new Map(), sourceDays: [], counts: new Map(), latest: new Map() });
  });

  it('a listing resolved to another enterprise leaves one and joins the other, with its name and industry', () => {
    const before = listing();
    const after = listing({ enterpriseId: 'ent_b' });
    const net = netListingChanges([{ before, after }]);
    expect(net.moved.get('ent_a')).toEqual({ removed: [contributionOf(before)], added: [] });
    expect(net.moved.get('ent_b')).toEqual({ removed: [], added: [contributionOf(after)] });
    expect(net.counts.get('ent_a')?.names.get(before.enterpriseName)).toBe(-1);
    expect(net.counts.get('ent_b')?.industries.get('ECOMMERCE')).toBe(1);
    expect(net.sourceDays).toEqual([]);
  });

  it('nets a batch across listings: source days that cancel are dropped, the rest summed', () => {
    const moved = listing({ externalId: 'b2', createdAt: CREATED + 86_400_000 });
    const net = netListingChanges([
      { before: null, after: listing() },
      { before: null, after: listing({ externalId: 'b3' }) },
      { before: moved, after: { ...moved, createdAt: CREATED } },
    ]);
    expect(net.sourceDays).toEqual([
      { source: 'blackcat', day: DAY, n: 3 },
      { source: 'blackcat', day: DAY + 1, n: -1 },
    ]);
    expect(net.counts.get('ent_a')?.names.get(moved.enterpriseName)).toBe(2);
  });

  it('keeps, per listing changed twice in a batch, the contribution of its last change', () => {
    const first = listing();
    const second = listing({ status: 'REPLIED', repliedAt: CREATED + 3_600_000 });
    const third = listing({ status: 'COMPLETED', repliedAt: null, completedAt: CREATED + 7_200_000 });
    const net = netListingChanges([
      { before: first, after: second },
      { before: second, after: third },
    ]);
    expect(net.latest).toEqual(new Map([[listingKey(contributionOf(third)), contributionOf(third)]]));
    expect(net.moved.get('ent_a')?.removed).toHaveLength(2);
    expect(net.moved.get('ent_a')?.added).toHaveLength(2);
  });
});
