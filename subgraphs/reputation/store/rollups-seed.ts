import type { DatabaseSync } from 'node:sqlite';
import { enterpriseResolver } from '../../../platform/enterprise/aliases.ts';
import type { ListingRecord, ListingSource, ListingStatus } from '../domain/listing.ts';
import type { ListingRepository, OnListingChanges } from './listings.ts';
import { createSqliteListingRepository } from './listings-sqlite.ts';
import type { RollupReader } from './rollups.ts';
import { createSqliteRollups } from './rollups-sqlite.ts';

/** A business the demo data complains about; `quality` (0..1) steers how well it handles complaints. */
export interface DemoEnterprise {
  name: string;
  creditCode?: string;
  industry: string;
  quality: number;
  listings: number;
}

/** Invented businesses (clearly labelled 演示) so the README's composed query shows real-looking numbers. */
export const DEMO_ENTERPRISES: DemoEnterprise[] = [
  { name: '演示优品商城有限公司', industry: 'ECOMMERCE', quality: 0.85, listings: 260 },
  { name: '演示速购网络科技有限公司', industry: 'ECOMMERCE', quality: 0.55, listings: 220 },
  { name: '演示乐淘电子商务有限公司', industry: 'ECOMMERCE', quality: 0.3, listings: 180 },
  { name: '演示好物小店', industry: 'ECOMMERCE', quality: 0.95, listings: 12 },
  { name: '演示通信服务有限公司', industry: 'TELECOM', quality: 0.7, listings: 240 },
  { name: '演示移动宽带有限公司', industry: 'TELECOM', quality: 0.45, listings: 200 },
  { name: '演示速达快递有限公司', industry: 'POSTAL_EXPRESS', quality: 0.6, listings: 200 },
  { name: '演示外卖平台有限公司', industry: 'FOOD', quality: 0.65, listings: 200 },
];

const SOURCES: ListingSource[] = ['blackcat', 'jutousu', '12315'];
const HOUR = 3600_000;

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Deterministic demo listings: the same `asOf` day always yields the same records. */
export function demoListings(asOf: number, enterprises: DemoEnterprise[] = DEMO_ENTERPRISES): ListingRecord[] {
  const today = Math.floor((asOf + 8 * HOUR) / (24 * HOUR));
  // Everything is dated before today's CST midnight, so re-seeding the same day writes identical records.
  const base = today * 24 * HOUR - 8 * HOUR;
  const next = random(today);
  const records: ListingRecord[] = [];
  enterprises.forEach((enterprise, e) => {
    const identity = enterpriseResolver().resolve({ name: enterprise.name, creditCode: enterprise.creditCode ?? null });
    for (let i = 0; i < enterprise.listings; i++) {
      const source = SOURCES[Math.floor(next() * SOURCES.length)];
      // Recent months are busier, as on the real platforms: a third of listings fall in the last 90 days.
      const ageDays = next() < 0.35 ? next() * 90 : 90 + next() * 330;
      const createdAt = base - Math.floor(ageDays * 24 * HOUR);
      const handled = next() < enterprise.quality;
      const replied = handled || next() < 0.3;
      const fresh = ageDays < 3;
      const status: ListingStatus =
        fresh && !handled
          ? 'PENDING'
          : handled && !fresh
            ? 'COMPLETED'
            : replied
              ? 'REPLIED'
              : next() < 0.5
                ? 'IN_PROGRESS'
                : 'CLOSED';
      const repliedAt =
        status === 'COMPLETED' || status === 'REPLIED'
          ? Math.min(base, createdAt + Math.floor((2 + next() * 120 * (1.2 - enterprise.quality)) * HOUR))
          : null;
      records.push({
        source,
        externalId: `demo-${e}-${i}`,
        url: `https://demo.weiquan.invalid/${source}/${e}-${i}`,
        enterpriseName: enterprise.name,
        enterpriseId: identity.id,
        enterpriseBasis: identity.basis,
        industry: enterprise.industry,
        title: '演示投诉',
        issue: null,
        demand: null,
        amount: Math.round(next() * 2000),
        status,
        rawStatus: status,
        createdAt,
        repliedAt,
        completedAt: status === 'COMPLETED' ? Math.min(base, (repliedAt ?? createdAt) + 24 * HOUR) : null,
        satisfaction:
          status === 'COMPLETED' && next() < 0.6
            ? Math.max(1, Math.min(5, Math.round(enterprise.quality * 5 + next() - 0.3)))
            : null,
        rawHash: `demo-${e}-${i}-${status}`,
      });
    }
  });
  return records;
}

/**
 * Writes the demo listings through the ingestion repository with the rollups hooked in, exactly as
 * a crawl would, and materialises the windows for `asOf`. Idempotent: a second call changes nothing.
 */
export async function seedDemoReputation(
  db: DatabaseSync,
  options: { asOf?: number; enterprises?: DemoEnterprise[] } = {},
): Promise<{ listings: number }> {
  const rollups = createSqliteRollups(db);
  return seedDemoListings(
    createSqliteListingRepository(db),
    (changes) => rollups.applyChanges(changes),
    rollups,
    options,
  );
}

/** The demo seed over any store: listings written as a crawl writes them, rollups kept by `onChanges`. */
export async function seedDemoListings(
  listings: ListingRepository,
  onChanges: OnListingChanges,
  rollups: Pick<RollupReader, 'ensureCurrent'>,
  options: { asOf?: number; enterprises?: DemoEnterprise[] } = {},
): Promise<{ listings: number }> {
  const asOf = options.asOf ?? Date.now();
  const records = demoListings(asOf, options.enterprises ?? DEMO_ENTERPRISES);
  let written = 0;
  for (let i = 0; i < records.length; i += 500) {
    const result = await listings.upsertBatch(records.slice(i, i + 500), onChanges, { now: asOf });
    written += result.inserted + result.updated;
  }
  await rollups.ensureCurrent(asOf);
  return { listings: written };
}
