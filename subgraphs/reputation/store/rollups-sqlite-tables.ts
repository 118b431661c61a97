import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { YearProfile } from '../domain/profile.ts';
import { type DayRange, yearOfDay } from '../domain/windows.ts';
import { decodeYear } from './rollups-sqlite-profile-codec.ts';

/**
 * The statements and small readers every part of the SQLite rollups shares (the change path, the
 * day roll, the rebuild, the readers and the ranking sync), prepared once per adapter over one
 * connection. Also the change log: readers follow writers, in this process or another, through
 * `rep_stats_window_log`, a list of enterprises whose windows changed (NULL: reload everything).
 */
export interface RollupTables {
  db: DatabaseSync;
  /** Writes through any rollups object on this connection (shared by every cache on it). */
  local: { version: number };
  /** Changes when anything wrote to the database: this connection (local version) or another one. */
  writeVersion(): string;
  /** The CST day the materialised windows end on, null before the first refresh. */
  asOfDay(): number | null;
  writeAsOfDay(today: number): void;
  /** An enterprise's years, in order. */
  profileOf(enterpriseId: string): YearProfile[];
  /** An enterprise's years that overlap `range`, in order. */
  profileIn(enterpriseId: string, range: DayRange): YearProfile[];
  decodeRow(row: YearRow): YearProfile;
  selectYears: StatementSync;
  selectYearsIn: StatementSync;
  upsertYear: StatementSync;
  deleteYear: StatementSync;
  insertYear: StatementSync;
  upsertSourceDay: StatementSync;
  pruneSourceDay: StatementSync;
  selectSummary: StatementSync;
  upsertEnterprise: StatementSync;
  updateWindows: StatementSync;
  insertAlias: StatementSync;
  deleteAlias: StatementSync;
  deleteAliases: StatementSync;
  deleteEnterprise: StatementSync;
  logChange: StatementSync;
  logChanges: StatementSync;
  pruneLog: StatementSync;
  lastLogged: StatementSync;
  firstLogged: StatementSync;
  loggedSince: StatementSync;
}

export interface YearRow {
  year: number;
  profile: Uint8Array;
}

/** An enterprise's summary row as the change path and the day roll read it. */
export interface SummaryRow {
  name_counts: string;
  industry_counts: string;
  windows: Uint8Array | null;
}

/** Log entries kept: a reader further behind than this reloads every ranking instead. */
const WINDOW_LOG_KEPT = 200_000;

const writeCounters = new WeakMap<DatabaseSync, { version: number }>();
function writesOn(db: DatabaseSync): { version: number } {
  let counter = writeCounters.get(db);
  if (!counter) {
    counter = { version: 0 };
    writeCounters.set(db, counter);
  }
  return counter;
}

export function prepareRollupTables(db: DatabaseSync): RollupTables {
  const selectYears = db.prepare('SELECT year, profile FROM rep_stats_years WHERE enterprise_id = ? ORDER BY year');
  const selectYearsIn = db.prepare(
    'SELECT year, profile FROM rep_stats_years WHERE enterprise_id = ? AND year BETWEEN ? AND ? ORDER BY year',
  );
  const readState = db.prepare("SELECT value FROM rep_stats_state WHERE key = 'as_of_day'");
  const writeState = db.prepare(
    `INSERT INTO rep_stats_state (key, value) VALUES ('as_of_day', ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const local = writesOn(db);
  const dataVersion = db.prepare('PRAGMA data_version');
  const decodeRow = (row: YearRow): YearProfile => ({ year: Number(row.year), ...decodeYear(row.profile) });
  return {
    db,
    local,
    writeVersion: () => `${(dataVersion.get() as { data_version: number }).data_version}:${local.version}`,
    asOfDay: () => {
      const row = readState.get() as { value: string } | undefined;
      return row ? Number(row.value) : null;
    },
    writeAsOfDay: (today) => {
      writeState.run(String(today));
    },
    decodeRow,
    profileOf: (enterpriseId) => (selectYears.all(enterpriseId) as unknown as YearRow[]).map(decodeRow),
    profileIn: (enterpriseId, range) =>
      (selectYearsIn.all(enterpriseId, yearOfDay(range.fromDay), yearOfDay(range.toDay)) as unknown as YearRow[]).map(
        decodeRow,
      ),
    selectYears,
    selectYearsIn,
    upsertYear: db.prepare(
      `INSERT INTO rep_stats_years (enterprise_id, year, profile) VALUES (?, ?, ?)
       ON CONFLICT (enterprise_id, year) DO UPDATE SET profile = excluded.profile`,
    ),
    deleteYear: db.prepare('DELETE FROM rep_stats_years WHERE enterprise_id = ? AND year = ?'),
    insertYear: db.prepare('INSERT INTO rep_stats_years (enterprise_id, year, profile) VALUES (?, ?, ?)'),
    upsertSourceDay: db.prepare(
      `INSERT INTO rep_stats_source_daily (source, day, complaints) VALUES (?, ?, ?)
       ON CONFLICT (source, day) DO UPDATE SET complaints = complaints + excluded.complaints`,
    ),
    pruneSourceDay: db.prepare('DELETE FROM rep_stats_source_daily WHERE source = ? AND day = ? AND complaints <= 0'),
    selectSummary: db.prepare(
      'SELECT name_counts, industry_counts, windows FROM rep_enterprises WHERE enterprise_id = ?',
    ),
    upsertEnterprise: db.prepare(
      `INSERT INTO rep_enterprises
         (enterprise_id, name, industry, listings, name_counts, industry_counts, windows)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (enterprise_id) DO UPDATE SET
         name = excluded.name, industry = excluded.industry, listings = excluded.listings,
         name_counts = excluded.name_counts, industry_counts = excluded.industry_counts, windows = excluded.windows`,
    ),
    updateWindows: db.prepare('UPDATE rep_enterprises SET windows = ? WHERE enterprise_id = ?'),
    insertAlias: db.prepare('INSERT OR IGNORE INTO rep_enterprise_aliases (enterprise_id, name) VALUES (?, ?)'),
    deleteAlias: db.prepare('DELETE FROM rep_enterprise_aliases WHERE enterprise_id = ? AND name = ?'),
    deleteAliases: db.prepare('DELETE FROM rep_enterprise_aliases WHERE enterprise_id = ?'),
    deleteEnterprise: db.prepare('DELETE FROM rep_enterprises WHERE enterprise_id = ?'),
    logChange: db.prepare('INSERT INTO rep_stats_window_log (enterprise_id) VALUES (?)'),
    logChanges: db.prepare('INSERT INTO rep_stats_window_log (enterprise_id) SELECT value FROM json_each(?)'),
    pruneLog: db.prepare(
      `DELETE FROM rep_stats_window_log
       WHERE seq <= (SELECT MAX(seq) FROM rep_stats_window_log) - ${WINDOW_LOG_KEPT}`,
    ),
    lastLogged: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM rep_stats_window_log'),
    firstLogged: db.prepare('SELECT MIN(seq) AS seq FROM rep_stats_window_log'),
    loggedSince: db.prepare('SELECT seq, enterprise_id FROM rep_stats_window_log WHERE seq > ? ORDER BY seq'),
  };
}
