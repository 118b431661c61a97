import type { ListingRecord, ListingSource, ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import { seededRandom } from '../../../../scripts/seeded-random.ts';

export { seededRandom };

/** A small deterministic PRNG so randomised fixtures are reproducible from a seed. */

const SOURCES: ListingSource[] = ['blackcat', '12315', 'jutousu', 'weiquan'];
const STATUSES: ListingStatus[] = ['PENDING', 'IN_PROGRESS', 'REPLIED', 'COMPLETED', 'CLOSED', 'UNKNOWN'];
export const FIXTURE_INDUSTRIES = ['ECOMMERCE', 'TELECOM', 'FOOD'];
const HOUR = 3600_000;

/** `count` listings over `enterprises` businesses, filed in the `spanDays` days before `asOf`. */
export function randomListings(
  seed: number,
  count: number,
  options: { enterprises?: number; asOf: number; spanDays?: number },
): ListingRecord[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const enterprises = options.enterprises ?? 12;
  const span = options.spanDays ?? 400;
  const out: ListingRecord[] = [];
  for (let i = 0; i < count; i++) {
    // Squaring skews the distribution: a few enterprises get most complaints, as on real platforms.
    const e = Math.floor(random() * random() * enterprises);
    const createdAt = options.asOf - Math.floor(random() * span * 24 * HOUR);
    out.push(makeListing({ source: pick(SOURCES), externalId: `x${seed}-${i}`, enterprise: e, createdAt, random }));
  }
  return out;
}

export function makeListing(input: {
  source: ListingSource;
  externalId: string;
  enterprise: number;
  createdAt: number;
  random: () => number;
}): ListingRecord {
  const { random } = input;
  const status = STATUSES[Math.floor(random() * STATUSES.length)];
  const repliedKnown = (status === 'REPLIED' || status === 'COMPLETED') && random() < 0.8;
  // Integer-hour delays make equal values (ties) likely, which is what the median must survive.
  const repliedAt = repliedKnown ? input.createdAt + Math.floor(random() * 200) * HOUR : null;
  return {
    source: input.source,
    externalId: input.externalId,
    url: `https://example.test/${input.source}/${input.externalId}`,
    enterpriseName: random() < 0.9 ? `商家${input.enterprise}有限公司` : `商家${input.enterprise}官方旗舰店`,
    enterpriseId: `ent_test_${input.enterprise}`,
    enterpriseBasis: 'NAME',
    industry: random() < 0.95 ? FIXTURE_INDUSTRIES[input.enterprise % FIXTURE_INDUSTRIES.length] : null,
    title: '投诉',
    issue: null,
    demand: null,
    amount: null,
    status,
    rawStatus: status,
    createdAt: input.createdAt,
    repliedAt,
    completedAt: status === 'COMPLETED' && random() < 0.7 ? (repliedAt ?? input.createdAt) + HOUR : null,
    satisfaction: random() < 0.3 ? 1 + Math.floor(random() * 5) : null,
    rawHash: `h${Math.floor(random() * 1e9)}`,
  };
}

/** The same complaint later: the business replied, or completed it, or it was rated. */
export function progressed(record: ListingRecord, random: () => number): ListingRecord {
  const roll = random();
  if (roll < 0.4) {
    return {
      ...record,
      status: 'COMPLETED',
      completedAt: record.createdAt + 100 * HOUR,
      repliedAt: record.repliedAt ?? record.createdAt + 5 * HOUR,
      rawHash: `${record.rawHash}c`,
    };
  }
  if (roll < 0.7)
    return {
      ...record,
      status: 'REPLIED',
      repliedAt: record.createdAt + Math.floor(random() * 50) * HOUR,
      rawHash: `${record.rawHash}r`,
    };
  if (roll < 0.85) return { ...record, satisfaction: 1 + Math.floor(random() * 5), rawHash: `${record.rawHash}s` };
  // Entity resolution corrected: the complaint belongs to another business.
  const other = Math.floor(random() * 12);
  return {
    ...record,
    enterpriseId: `ent_test_${other}`,
    enterpriseName: `商家${other}有限公司`,
    rawHash: `${record.rawHash}e`,
  };
}
