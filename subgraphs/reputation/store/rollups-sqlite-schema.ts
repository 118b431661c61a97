/**
 * The schema of the SQLite statistics rollups (the `reputation.stats` component), one migration
 * per version. Each entry's comment says why the layout changed; the adapter itself is
 * rollups-sqlite.ts.
 */
export const STATS_COMPONENT = 'reputation.stats';

/** Append only: each entry is one schema version of the `reputation.stats` component. */
export const STATS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rep_stats_daily (
     enterprise_id TEXT NOT NULL,
     day INTEGER NOT NULL,
     source TEXT NOT NULL,
     complaints INTEGER NOT NULL,
     replied INTEGER NOT NULL,
     completed INTEGER NOT NULL,
     sat_sum REAL NOT NULL,
     sat_count INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, day, source)
   ) WITHOUT ROWID;
   CREATE TABLE rep_stats_reply_delays (
     source TEXT NOT NULL,
     external_id TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     day INTEGER NOT NULL,
     reply_ms INTEGER NOT NULL,
     PRIMARY KEY (source, external_id)
   ) WITHOUT ROWID;
   CREATE INDEX rep_stats_reply_delays_window ON rep_stats_reply_delays (enterprise_id, day, reply_ms);
   CREATE INDEX rep_stats_reply_delays_order ON rep_stats_reply_delays (enterprise_id, reply_ms);
   CREATE TABLE rep_stats_source_daily (
     source TEXT NOT NULL,
     day INTEGER NOT NULL,
     complaints INTEGER NOT NULL,
     PRIMARY KEY (source, day)
   ) WITHOUT ROWID;
   CREATE TABLE rep_enterprise_names (
     enterprise_id TEXT NOT NULL,
     name TEXT NOT NULL,
     listings INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, name)
   ) WITHOUT ROWID;
   CREATE INDEX rep_enterprise_names_name ON rep_enterprise_names (name);
   CREATE TABLE rep_enterprise_industries (
     enterprise_id TEXT NOT NULL,
     industry TEXT NOT NULL,
     listings INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, industry)
   ) WITHOUT ROWID;
   CREATE TABLE rep_enterprises (
     enterprise_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     industry TEXT,
     listings INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE rep_stats_window (
     window TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     industry TEXT,
     complaints INTEGER NOT NULL,
     replied INTEGER NOT NULL,
     completed INTEGER NOT NULL,
     sat_sum REAL NOT NULL,
     sat_count INTEGER NOT NULL,
     reply_rate REAL NOT NULL,
     completion_rate REAL NOT NULL,
     wilson REAL NOT NULL,
     median_reply_hours REAL,
     reply_sample INTEGER NOT NULL,
     sat_mean REAL,
     PRIMARY KEY (window, enterprise_id)
   ) WITHOUT ROWID;
   CREATE INDEX rep_stats_window_wilson ON rep_stats_window (window, industry, wilson, enterprise_id);
   CREATE INDEX rep_stats_window_reply ON rep_stats_window (window, industry, reply_rate, enterprise_id);
   CREATE INDEX rep_stats_window_completion ON rep_stats_window (window, industry, completion_rate, enterprise_id);
   CREATE INDEX rep_stats_window_complaints ON rep_stats_window (window, industry, complaints, enterprise_id);
   CREATE INDEX rep_stats_window_median ON rep_stats_window (window, industry, median_reply_hours, enterprise_id);
   CREATE INDEX rep_stats_window_satisfaction ON rep_stats_window (window, industry, sat_mean, enterprise_id);
   CREATE TABLE rep_stats_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
  // Month lists and industry totals select an industry's enterprises.
  'CREATE INDEX rep_enterprises_industry ON rep_enterprises (industry, enterprise_id);',
  // The ALL_TIME median walks this index to the middle: with `day` in it, the walk never leaves the index.
  `DROP INDEX rep_stats_reply_delays_order;
   CREATE INDEX rep_stats_reply_delays_order ON rep_stats_reply_delays (enterprise_id, reply_ms, day);`,
  // With complaints in them, the metric indexes answer "how many qualify / rank ahead" without
  // touching the table: counts over an industry of thousands stay index-only range scans.
  `DROP INDEX rep_stats_window_wilson;
   DROP INDEX rep_stats_window_reply;
   DROP INDEX rep_stats_window_completion;
   DROP INDEX rep_stats_window_complaints;
   DROP INDEX rep_stats_window_median;
   DROP INDEX rep_stats_window_satisfaction;
   CREATE INDEX rep_stats_window_wilson ON rep_stats_window (window, industry, wilson, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_reply ON rep_stats_window (window, industry, reply_rate, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_completion
     ON rep_stats_window (window, industry, completion_rate, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_complaints ON rep_stats_window (window, industry, complaints, enterprise_id);
   CREATE INDEX rep_stats_window_median
     ON rep_stats_window (window, industry, median_reply_hours, enterprise_id, complaints);
   CREATE INDEX rep_stats_window_satisfaction
     ON rep_stats_window (window, industry, sat_mean, enterprise_id, complaints);`,
  // One row per (enterprise, CST year) holding its daily buckets and sorted reply delays in one
  // blob (rollups-sqlite-profile-codec.ts) replaces a row per bucket and per delay (~1.6 rows per listing at 10M
  // listings): a rebuild writes ~30x fewer rows and a batch rewrites one row per enterprise
  // instead of updating four B-trees per listing. Window rows lose their six metric indexes.
  // The rollups are derived data: they are cleared here and rebuilt from the listings on open.
  `DROP TABLE rep_stats_daily;
   DROP TABLE rep_stats_reply_delays;
   CREATE TABLE rep_stats_years (
     enterprise_id TEXT NOT NULL,
     year INTEGER NOT NULL,
     profile BLOB NOT NULL
   );
   -- A rowid table plus a small key index, not WITHOUT ROWID: rows of a few KB would sit in the
   -- interior pages of a WITHOUT ROWID tree and cut its fan-out to a handful.
   CREATE UNIQUE INDEX rep_stats_years_key ON rep_stats_years (enterprise_id, year);
   -- Keyed by enterprise first: an update reads an enterprise's five windows from one leaf.
   DROP TABLE rep_stats_window;
   CREATE TABLE rep_stats_window (
     window TEXT NOT NULL,
     enterprise_id TEXT NOT NULL,
     industry TEXT,
     complaints INTEGER NOT NULL,
     replied INTEGER NOT NULL,
     completed INTEGER NOT NULL,
     sat_sum REAL NOT NULL,
     sat_count INTEGER NOT NULL,
     reply_rate REAL NOT NULL,
     completion_rate REAL NOT NULL,
     wilson REAL NOT NULL,
     median_reply_hours REAL,
     reply_sample INTEGER NOT NULL,
     sat_mean REAL,
     PRIMARY KEY (enterprise_id, window)
   ) WITHOUT ROWID;
   -- Rankings are served from memory (domain/ranking-index.ts): metric indexes here cost most of
   -- the pages every statistics update wrote. Readers follow writers, in this process or another,
   -- through this log of enterprises whose rows changed; a NULL entry means "reload everything".
   CREATE TABLE rep_stats_window_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, enterprise_id TEXT);
   INSERT INTO rep_stats_window_log (enterprise_id) VALUES (NULL);
   DELETE FROM rep_stats_source_daily;
   DELETE FROM rep_enterprise_names;
   DELETE FROM rep_enterprise_industries;
   DELETE FROM rep_enterprises;
   DELETE FROM rep_stats_state;
   INSERT INTO rep_stats_state (key, value) VALUES ('rebuild_required', '1');`,
  // An enterprise's name and industry counts move into its own row (JSON arrays of [value, count]
  // pairs, sorted by value): a batch of new complaints then rewrites one summary page per
  // enterprise instead of three (about a quarter of the pages such a batch wrote at 10M
  // listings). The names stay listed, without counts, as aliases for search.
  `ALTER TABLE rep_enterprises ADD COLUMN name_counts TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE rep_enterprises ADD COLUMN industry_counts TEXT NOT NULL DEFAULT '[]';
   UPDATE rep_enterprises SET
     name_counts = (SELECT json_group_array(json_array(name, listings)) FROM
       (SELECT name, listings FROM rep_enterprise_names n
        WHERE n.enterprise_id = rep_enterprises.enterprise_id AND listings > 0 ORDER BY name)),
     industry_counts = (SELECT json_group_array(json_array(industry, listings)) FROM
       (SELECT industry, listings FROM rep_enterprise_industries i
        WHERE i.enterprise_id = rep_enterprises.enterprise_id AND listings > 0 ORDER BY industry));
   CREATE TABLE rep_enterprise_aliases (
     enterprise_id TEXT NOT NULL,
     name TEXT NOT NULL,
     PRIMARY KEY (enterprise_id, name)
   ) WITHOUT ROWID;
   INSERT INTO rep_enterprise_aliases (enterprise_id, name)
     SELECT enterprise_id, name FROM rep_enterprise_names WHERE listings > 0;
   CREATE INDEX rep_enterprise_aliases_name ON rep_enterprise_aliases (name);
   DROP TABLE rep_enterprise_names;
   DROP TABLE rep_enterprise_industries;`,
  // An enterprise's five rolling windows move into its summary row, as one blob of counts and
  // medians (rollups-sqlite-profile-codec.ts): a batch then writes one page per enterprise for its summary and
  // windows instead of two, and one row instead of six. Rankings take the industry from the
  // summary, so a change of industry no longer rewrites windows. The windows are materialised
  // again from the years (kept) on the next read: forgetting the day makes it refresh them.
  `ALTER TABLE rep_enterprises ADD COLUMN windows BLOB;
   DROP TABLE rep_stats_window;
   DELETE FROM rep_stats_state WHERE key = 'as_of_day';
   INSERT INTO rep_stats_window_log (enterprise_id) VALUES (NULL);`,
];
