import type { DatabaseSync } from 'node:sqlite';

/**
 * The cases store's public-data version, `${generation}.${counter}`: the counter moves in the same
 * transaction as any insert, update or delete of a published case row (triggers of the
 * `cases_public_version` migration, case-repository-sqlite-schema.ts), so it changes exactly when
 * what anonymous callers can see of cases may have changed, and only then: filings, staff steps
 * on unpublished cases and outbox deliveries leave it alone. Read on the store's own connection,
 * which sees this process's commits at once and other processes' at its next read.
 */
export function sqliteCasesPublicVersion(db: DatabaseSync): { current(): string } {
  const read = db.prepare('SELECT generation, counter FROM cases_public_version WHERE id = 1');
  return {
    current() {
      const row = read.get() as { generation: string; counter: number };
      return `${row.generation}.${row.counter}`;
    },
  };
}
