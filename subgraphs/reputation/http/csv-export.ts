import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { RequestContext } from '../../../platform/context.ts';
import { ErrorCode, badUserInput, notFound } from '../../../platform/errors.ts';
import { sendJson } from '../../../platform/server/http.ts';
import { INDUSTRIES } from '../../../platform/vocabulary.ts';
import type { Methodology } from '../domain/methodology.ts';
import type { ListedEnterprise, RankingMetric, RankingOrder } from '../domain/rankings.ts';
import type { ReputationStats } from '../domain/statistics.ts';
import type { StatisticsService } from '../domain/statistics-service.ts';
import type { ReputationWindow } from '../domain/windows.ts';
import { METRICS, ORDERS, WINDOWS, validateMinComplaints, validatePageSize } from '../resolvers/reputation.ts';

/**
 * CSV exports of rankings and published snapshots, served by the reputation subgraph:
 *   GET /export/rankings.csv?industry=ECOMMERCE&window=LAST_90_DAYS&metric=WILSON_SCORE
 *       &order=BEST_FIRST&minComplaints=30&first=1000
 *   GET /export/snapshots/<id>.csv[?version=N]
 * UTF-8 with a byte-order mark so Excel shows Chinese names correctly; RFC 4180 quoting, CRLF rows.
 * Every row repeats the methodology columns, so a single copied row still says how it was computed.
 */
export const MAX_CSV_ROWS = 10_000;
const BOM = '\uFEFF';

/** Quotes a cell when it holds a delimiter, quote or line break (RFC 4180). */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  // Spreadsheet formula injection: a text cell starting with = + - @ would be evaluated by Excel.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null>>): string {
  return `${BOM}${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const FIGURE_COLUMNS = [
  'complaints',
  'replied',
  'completed',
  'reply_rate',
  'completion_rate',
  'wilson_score',
  'median_reply_hours',
  'reply_delay_sample_size',
  'satisfaction_mean',
  'satisfaction_count',
];
const METHOD_COLUMNS = [
  'metric',
  'order',
  'period_from',
  'period_to',
  'time_zone',
  'min_complaints',
  'sources',
  'data_fresh_as_of',
  'computed_at',
];

function figureCells(s: ReputationStats) {
  return [
    s.complaints,
    s.replied,
    s.completed,
    s.replyRate,
    s.completionRate,
    s.wilsonScore,
    s.medianReplyHours,
    s.replyDelaySampleSize,
    s.satisfactionMean,
    s.satisfactionCount,
  ];
}

function methodCells(m: Methodology) {
  return [
    m.metric,
    m.order,
    m.window.from,
    m.window.to,
    m.window.timeZone,
    m.minComplaints,
    m.sources.join(' '),
    m.dataFreshAsOf,
    m.computedAt,
  ];
}

export const RANKING_CSV_HEADER = [
  'position',
  'tie',
  'enterprise_id',
  'name',
  'industry',
  ...FIGURE_COLUMNS,
  ...METHOD_COLUMNS,
];
export const SNAPSHOT_CSV_HEADER = [
  'list',
  'position',
  'tie',
  'enterprise_id',
  'name',
  ...FIGURE_COLUMNS,
  'snapshot_id',
  'version',
  'month',
  'industry',
  'content_hash',
  ...METHOD_COLUMNS,
];

function oneOf(params: URLSearchParams, name: string, allowed: readonly string[], fallback?: string): string {
  const value = params.get(name) ?? fallback;
  if (value === undefined || !allowed.includes(value))
    throw badUserInput(name, `one of ${allowed.join(', ')}`, value ?? null);
  return value;
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d{1,9}$/.test(raw)) throw badUserInput(name, 'an integer', raw);
  return Number(raw);
}

function sendCsv(res: ServerResponse, filename: string, body: string): void {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function rankingsCsv(
  statistics: StatisticsService,
  params: URLSearchParams,
): Promise<{ filename: string; body: string }> {
  const industry = oneOf(params, 'industry', INDUSTRIES);
  const window = oneOf(params, 'window', WINDOWS, 'LAST_90_DAYS') as ReputationWindow;
  const metric = oneOf(params, 'metric', METRICS, 'WILSON_SCORE') as RankingMetric;
  const order = oneOf(params, 'order', ORDERS, 'BEST_FIRST') as RankingOrder;
  const minComplaints = validateMinComplaints(intParam(params, 'minComplaints'));
  const first = validatePageSize(intParam(params, 'first') ?? MAX_CSV_ROWS, 'first', MAX_CSV_ROWS);
  const result = await statistics.rankings({ industry, window, metric, order, minComplaints, offset: 0, limit: first });
  const method = methodCells(result.methodology);
  const rows = result.rows.map((r) => [
    r.position,
    r.tie,
    r.enterpriseId,
    r.name,
    r.industry,
    ...figureCells(r.stats),
    ...method,
  ]);
  return { filename: `rankings-${industry}-${window}-${metric}-${order}.csv`, body: toCsv(RANKING_CSV_HEADER, rows) };
}

async function snapshotCsv(
  statistics: StatisticsService,
  id: string,
  params: URLSearchParams,
): Promise<{ filename: string; body: string }> {
  const version = intParam(params, 'version');
  if (version !== undefined && version < 1) throw badUserInput('version', 'an integer >= 1', version);
  const snapshot = await statistics.snapshot(id, version);
  if (!snapshot) throw notFound('RedBlackSnapshot', version === undefined ? id : `${id} v${version}`);
  const method = methodCells(snapshot.methodology);
  const tail = [snapshot.id, snapshot.version, snapshot.month, snapshot.industry, snapshot.contentHash, ...method];
  const rows = (list: string, entries: ListedEnterprise[]) =>
    entries.map((e) => [list, e.position, e.tie, e.enterpriseId, e.name, ...figureCells(e.stats), ...tail]);
  return {
    filename: `${snapshot.id}-v${snapshot.version}.csv`,
    body: toCsv(SNAPSHOT_CSV_HEADER, [...rows('red', snapshot.red), ...rows('black', snapshot.black)]),
  };
}

/** The snapshot id in an export path; a broken percent-encoding (`%E0`) is the caller's error, not ours. */
function decodeSnapshotId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw badUserInput('id', 'a URL-encoded snapshot id', encoded);
  }
}

/** The subgraph's extra HTTP routes for exports; returns false for any other path. Public data: no role needed. */
export function createCsvExportHandler(statistics: () => StatisticsService) {
  return async (req: IncomingMessage, res: ServerResponse, _base: RequestContext): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://reputation');
    const snapshotMatch = /^\/export\/snapshots\/([^/]+)\.csv$/.exec(url.pathname);
    if (url.pathname !== '/export/rankings.csv' && !snapshotMatch) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { errors: [{ message: 'Use GET.', extensions: { code: ErrorCode.BadUserInput } }] },
        { allow: 'GET, HEAD' },
      );
      return true;
    }
    try {
      const { filename, body } = snapshotMatch
        ? await snapshotCsv(statistics(), decodeSnapshotId(snapshotMatch[1]), url.searchParams)
        : await rankingsCsv(statistics(), url.searchParams);
      sendCsv(res, filename, body);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const status = error.extensions.code === ErrorCode.NotFound ? 404 : 400;
      sendJson(res, status, { errors: [{ message: error.message, extensions: error.extensions }] });
    }
    return true;
  };
}
