import type { DatabaseSync } from 'node:sqlite';
import { transaction } from '../platform/store/sqlite.ts';
import { INDUSTRIES } from '../platform/vocabulary.ts';
import type { ListingSource, ListingStatus } from '../subgraphs/reputation/domain/listing.ts';

/**
 * The statistics benchmark's data set (scripts/bench-stats.ts): `records` listings written straight
 * into ingestion's `listings` table, with a skewed enterprise distribution (enterprise = floor(E · u²)),
 * realistic status mixes and reply delays over the 3 years before `asOf`. Deterministic for a given
 * `random`.
 */

const HOUR = 3600_000;
export const BENCH_SOURCES: ListingSource[] = ['blackcat', 'blackcat', '12315', 'jutousu'];

export function generateBenchListings(
  db: DatabaseSync,
  options: { records: number; enterprises: number; asOf: number; random: () => number; log: (line: string) => void },
): void {
  const { records: RECORDS, enterprises: ENTERPRISES, asOf: AS_OF, random, log } = options;
  const SOURCES = BENCH_SOURCES;
  const started = performance.now();
  const insert = db.prepare(
    'INSERT INTO listings (source, external_id, url, enterprise_name, enterprise_id, enterprise_basis, industry, ' +
      `title, issue,
       demand, amount, status, raw_status, created_at, replied_at, completed_at, satisfaction, raw_hash)
     VALUES (?, ?, ?, ?, ?, 'NAME', ?, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const BATCH = 50_000;
  for (let done = 0; done < RECORDS; done += BATCH) {
    transaction(db, () => {
      for (let i = done; i < Math.min(RECORDS, done + BATCH); i++) {
        const u = random();
        const e = Math.floor(ENTERPRISES * u * u);
        const source = SOURCES[Math.floor(random() * SOURCES.length)];
        const createdAt = AS_OF - Math.floor(random() * 3 * 365 * 24) * HOUR - Math.floor(random() * HOUR);
        const roll = random();
        const status: ListingStatus =
          roll < 0.45
            ? 'COMPLETED'
            : roll < 0.7
              ? 'REPLIED'
              : roll < 0.85
                ? 'IN_PROGRESS'
                : roll < 0.95
                  ? 'PENDING'
                  : 'CLOSED';
        const replied = status === 'COMPLETED' || status === 'REPLIED';
        const repliedAt = replied && random() < 0.9 ? createdAt + Math.floor(random() * random() * 240 * HOUR) : null;
        insert.run(
          source,
          `b${i}`,
          `https://bench.invalid/${source}/${i}`,
          `企业${e}有限公司`,
          `ent_bench_${e}`,
          INDUSTRIES[e % INDUSTRIES.length],
          Math.floor(random() * 5000),
          status,
          status,
          createdAt,
          repliedAt,
          status === 'COMPLETED' ? (repliedAt ?? createdAt) + 24 * HOUR : null,
          status === 'COMPLETED' && random() < 0.5 ? 1 + Math.floor(random() * 5) : null,
          `h${i}`,
        );
      }
    });
  }
  log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
