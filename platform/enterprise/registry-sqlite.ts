import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../store/sqlite.ts';
import type { EnterpriseLink, EnterpriseRegistry } from './registry.ts';

const MIGRATIONS = [
  `CREATE TABLE enterprise_links (
     name_id TEXT PRIMARY KEY,
     enterprise_id TEXT NOT NULL,
     credit_code TEXT NOT NULL,
     name TEXT NOT NULL,
     linked_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX enterprise_links_enterprise ON enterprise_links (enterprise_id);`,
];

type Row = { name_id: string; enterprise_id: string; credit_code: string; name: string; linked_at: string };
const fromRow = (row: Row): EnterpriseLink => ({
  nameId: row.name_id,
  enterpriseId: row.enterprise_id,
  creditCode: row.credit_code,
  name: row.name,
  linkedAt: new Date(row.linked_at),
});

/** The registry in its own SQLite file (`enterprises.db`), opened by each slice that uses it. */
export function createSqliteEnterpriseRegistry(db: DatabaseSync): EnterpriseRegistry {
  migrate(db, 'enterprise-registry', MIGRATIONS);
  return {
    async link(link) {
      db.prepare(
        `INSERT INTO enterprise_links (name_id, enterprise_id, credit_code, name, linked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name_id) DO NOTHING`,
      ).run(link.nameId, link.enterpriseId, link.creditCode, link.name, link.linkedAt.toISOString());
      return fromRow(db.prepare('SELECT * FROM enterprise_links WHERE name_id = ?').get(link.nameId) as Row);
    },
    async linkedId(nameId) {
      const row = db.prepare('SELECT enterprise_id FROM enterprise_links WHERE name_id = ?').get(nameId) as
        | { enterprise_id: string }
        | undefined;
      return row?.enterprise_id ?? null;
    },
    async nameIdsOf(enterpriseId) {
      const rows = db
        .prepare('SELECT name_id FROM enterprise_links WHERE enterprise_id = ? ORDER BY name_id')
        .all(enterpriseId) as Array<{ name_id: string }>;
      return rows.map((row) => row.name_id);
    },
    async close() {
      db.close();
    },
  };
}
