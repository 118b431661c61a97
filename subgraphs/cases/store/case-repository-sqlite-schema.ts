import type { DatabaseSync } from 'node:sqlite';
import { migrate } from '../../../platform/store/sqlite.ts';

/**
 * The SQLite case store's tables and indexes: the migrations (append only) and the indexes the
 * benchmark drops for its baseline. The adapter is case-repository-sqlite.ts.
 */

/** Indexes, named so the benchmark can drop them for its baseline. */
export const CASE_INDEXES = {
  cases_queue: 'CREATE INDEX IF NOT EXISTS cases_queue ON cases (status, queue_deadline, id)',
  cases_enterprise: 'CREATE INDEX IF NOT EXISTS cases_enterprise ON cases (enterprise_id, submitted_at, id)',
  cases_complainant: 'CREATE INDEX IF NOT EXISTS cases_complainant ON cases (complainant_id, submitted_at, id)',
  cases_published:
    'CREATE INDEX IF NOT EXISTS cases_published ON cases (published_at, id) WHERE published_at IS NOT NULL',
  cases_pending_deadline:
    "CREATE INDEX IF NOT EXISTS cases_pending_deadline ON cases (queue_deadline) WHERE queue_deadline <> '9999-12-31'",
} as const;

/**
 * A representative's listing (forwarded cases only) has its own partial index, so an enterprise
 * with many cases never forwarded to it (rejected, withdrawn, still waiting) costs no scan.
 */
export const CASE_FORWARDED_INDEX =
  'CREATE INDEX IF NOT EXISTS cases_enterprise_forwarded ON cases (enterprise_id, submitted_at, id) ' +
  'WHERE forwarded_at IS NOT NULL';

/**
 * What anonymous readers see of an enterprise comes from its latest published case
 * (`publishedEnterprises`, for every respondent of a published page). Through `cases_enterprise`
 * that lookup read every case of the enterprise and sorted them: 61 ms for one page's ten
 * respondents at the benchmark's scale, where the busiest enterprise has 8,000 cases; through this
 * index 0.08 ms (issue 17, BENCHMARKS.md).
 */
export const CASE_ENTERPRISE_PUBLISHED_INDEX =
  'CREATE INDEX IF NOT EXISTS cases_enterprise_published ON cases (enterprise_id, published_at, id) ' +
  'WHERE published_at IS NOT NULL';

/** Append only: never edit or reorder (platform/store/sqlite.ts migrate). */
export const CASE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE cases (
     id TEXT PRIMARY KEY,
     reference TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL,
     version INTEGER NOT NULL,
     complainant_id TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     submitted_at TEXT NOT NULL,
     forwarded_at TEXT,
     queue_deadline TEXT NOT NULL,
     published_at TEXT,
     doc TEXT NOT NULL
   ) STRICT;
   ${Object.values(CASE_INDEXES).join(';\n')};
   CREATE TABLE case_events (
     id TEXT PRIMARY KEY,
     case_id TEXT NOT NULL REFERENCES cases (id),
     sequence INTEGER NOT NULL,
     doc TEXT NOT NULL,
     UNIQUE (case_id, sequence)
   ) STRICT;
   CREATE TABLE case_revisions (
     case_id TEXT NOT NULL REFERENCES cases (id),
     version INTEGER NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (case_id, version)
   ) STRICT;
   CREATE TABLE case_outbox (
     id TEXT PRIMARY KEY,
     case_id TEXT NOT NULL REFERENCES cases (id),
     event TEXT NOT NULL,
     recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('email', 'webhook')),
     recipient_address TEXT NOT NULL,
     payload TEXT NOT NULL,
     created_at TEXT NOT NULL,
     delivered_at TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT
   ) STRICT;
   CREATE INDEX case_outbox_due ON case_outbox (next_attempt_at) WHERE delivered_at IS NULL;
   CREATE INDEX case_outbox_case ON case_outbox (case_id, created_at);
   CREATE TABLE case_reference_days (day TEXT PRIMARY KEY, last INTEGER NOT NULL) STRICT;
   CREATE TABLE case_enterprises (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     credit_code TEXT,
     industry TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT;`,
  // Which cases each evidence file is attached to, for download rights (staff may attach a file
  // staff uploaded to a complainant's case: domain/evidence.ts mayAttachEvidence). Back-filled
  // from the cases already stored.
  `CREATE TABLE case_evidence (
     evidence_id TEXT NOT NULL,
     case_id TEXT NOT NULL REFERENCES cases (id),
     PRIMARY KEY (evidence_id, case_id)
   ) STRICT, WITHOUT ROWID;
   INSERT OR IGNORE INTO case_evidence (evidence_id, case_id)
     SELECT j.value, c.id FROM cases c, json_each(c.doc, '$.evidenceIds') j;`,
  `${CASE_FORWARDED_INDEX};`,
  // The idempotency keys of submitCase (domain/idempotency.ts): one row per caller and key, kept
  // until expires_at; the expiry index lets each insert purge the expired rows cheaply.
  `CREATE TABLE case_idempotency_keys (
     scope TEXT NOT NULL,
     key TEXT NOT NULL,
     operation TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     case_id TEXT NOT NULL REFERENCES cases (id),
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     PRIMARY KEY (scope, key)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX case_idempotency_keys_expiry ON case_idempotency_keys (expires_at);`,
  `${CASE_ENTERPRISE_PUBLISHED_INDEX};`,
  // The public-data version (cases-public-version-sqlite.ts): what anonymous callers can see of
  // cases is read from published rows of `cases` alone (`published`, `publishedEnterprises`), so a
  // counter moved by triggers on those rows, in the writing transaction, tells the gateway's
  // response cache when it may have changed, whoever writes (this process, an import, a script).
  // Writes of unpublished cases, events, outbox deliveries leave it alone. The generation is drawn
  // when the table is made, so a fresh database never repeats an older one's versions.
  `CREATE TABLE cases_public_version (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     generation TEXT NOT NULL,
     counter INTEGER NOT NULL
   ) STRICT;
   INSERT INTO cases_public_version (id, generation, counter) VALUES (1, lower(hex(randomblob(8))), 0);
   CREATE TRIGGER cases_public_insert AFTER INSERT ON cases WHEN NEW.published_at IS NOT NULL
   BEGIN UPDATE cases_public_version SET counter = counter + 1 WHERE id = 1; END;
   CREATE TRIGGER cases_public_update AFTER UPDATE ON cases
   WHEN OLD.published_at IS NOT NULL OR NEW.published_at IS NOT NULL
   BEGIN UPDATE cases_public_version SET counter = counter + 1 WHERE id = 1; END;
   CREATE TRIGGER cases_public_delete AFTER DELETE ON cases WHEN OLD.published_at IS NOT NULL
   BEGIN UPDATE cases_public_version SET counter = counter + 1 WHERE id = 1; END;`,
];

export function migrateCases(db: DatabaseSync): void {
  migrate(db, 'cases', CASE_MIGRATIONS);
}
