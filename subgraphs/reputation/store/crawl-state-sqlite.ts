import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../../platform/store/sqlite.ts';
import type { ListingSource } from '../domain/listing.ts';
import { reviveCrawlState, type CrawlState, type CrawlStateRepository } from './crawl-state.ts';
import { LISTINGS_COMPONENT, LISTINGS_MIGRATIONS } from './listings-sqlite.ts';

/** Crawl state lives beside the listings (same component, same migrations). */
export function createSqliteCrawlStateRepository(db: DatabaseSync): CrawlStateRepository {
  migrate(db, LISTINGS_COMPONENT, LISTINGS_MIGRATIONS);
  const select = db.prepare('SELECT source, state FROM crawl_state WHERE source = ?');
  const upsert = db.prepare(
    `INSERT INTO crawl_state (source, state, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (source) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
  );
  return {
    async get(source) {
      const row = select.get(source) as { source: string; state: string } | undefined;
      return row ? reviveCrawlState(source, JSON.parse(row.state) as Partial<CrawlState>) : null;
    },
    async save(state, now = Date.now()) {
      upsert.run(state.source, JSON.stringify(state), now);
    },
    async list() {
      const rows = db.prepare('SELECT source, state FROM crawl_state ORDER BY source').all() as Array<{
        source: string;
        state: string;
      }>;
      return rows.map((row) =>
        reviveCrawlState(row.source as ListingSource, JSON.parse(row.state) as Partial<CrawlState>),
      );
    },
  };
}
