import { ListingSource, ListingStatus, type ListingRecord } from '../../../../subgraphs/reputation/domain/listing.ts';

/** A complete, valid record; tests override what they are about. */
export function listing(overrides: Partial<ListingRecord> = {}): ListingRecord {
  return {
    source: ListingSource.BlackCat,
    externalId: '17390000001',
    url: 'https://tousu.example/complaint/view/17390000001/',
    enterpriseName: '某某科技有限公司',
    enterpriseId: 'ent1_aaaaaaaaaaaaaaaaaaaa',
    enterpriseBasis: 'NAME',
    industry: null,
    title: '退款不到账',
    issue: '退款',
    demand: '退还货款',
    amount: 199,
    status: ListingStatus.Pending,
    rawStatus: '3',
    createdAt: Date.UTC(2026, 0, 5, 2, 0, 0),
    repliedAt: null,
    completedAt: null,
    satisfaction: null,
    rawHash: 'hash-1',
    ...overrides,
  };
}
