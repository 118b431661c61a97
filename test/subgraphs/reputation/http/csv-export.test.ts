import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { request } from 'undici';
import { loadConfig } from '../../../../platform/config.ts';
import { createLogger } from '../../../../platform/logger.ts';
import { startSubgraph, type RunningSubgraph } from '../../../../platform/server/subgraph-server.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import {
  csvCell,
  RANKING_CSV_HEADER,
  SNAPSHOT_CSV_HEADER,
  toCsv,
} from '../../../../subgraphs/reputation/http/csv-export.ts';
import { resolvers } from '../../../../subgraphs/reputation/resolvers.ts';
import { parseCsv } from '../../../support/csv.ts';
import { seedDemoReputation } from '../../../../subgraphs/reputation/store/rollups-seed.ts';
import { openSqliteRollupStore } from '../../../../subgraphs/reputation/store/rollups-open.ts';
import type { SqliteRollups } from '../../../../subgraphs/reputation/store/rollups-sqlite.ts';
import { createStatistics, type Statistics } from '../../../../subgraphs/reputation/subgraph.ts';
import { postGraphQL } from '../../../support/graph.ts';

/** One ranked enterprise as the rankings query below asks for it. */
interface RankedNode {
  position: number;
  name: string;
  enterprise: { id: string };
  figures: { complaints: number; wilsonScore: number };
}

const NOW = Date.parse('2026-11-22T04:00:00Z');
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
let dir: string;
let db: DatabaseSync;
let slice: Statistics<SqliteRollups>;
let server: RunningSubgraph;
let origin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reputation-csv-'));
  db = openSqlite(join(dir, 'reputation.db'));
  await seedDemoReputation(db, { asOf: NOW });
  slice = createStatistics(openSqliteRollupStore(db), { now: () => NOW });
  server = await startSubgraph(
    {
      name: 'reputation',
      resolvers,
      createContext: (base) => ({ ...base, statistics: slice.service }),
      handleHttp: slice.handleHttp,
      checkReady: async () => {},
      close: async () => {},
    },
    { config, logger: createLogger('silent', 'test'), host: '127.0.0.1', port: 0 },
  );
  origin = new URL(server.url).origin;
});

afterAll(async () => {
  await server.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string) {
  const response = await request(`${origin}${path}`);
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

describe('CSV export', () => {
  test('any table of text cells round-trips through toCsv and parseCsv (quotes, commas, line breaks, Chinese)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '黑', '猫', ',', '"', '\n', '\r\n', ' ', '1', '=', '-') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
        const parsed = parseCsv(toCsv(['a', 'b'], rows));
        // Cells Excel would evaluate as formulas are neutralised with a leading apostrophe.
        const expected = rows.map((row) => row.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
        expect(parsed).toEqual([['a', 'b'], ...expected]);
      }),
    );
  });

  test('a cell with a delimiter is quoted and inner quotes are doubled', () => {
    expect(csvCell('演示"优品", 商城')).toBe('"演示""优品"", 商城"');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(null)).toBe('');
  });

  test('the rankings CSV starts with a UTF-8 BOM and holds the same rows as the GraphQL ranking', async () => {
    const response = await get(
      '/export/rankings.csv?industry=ECOMMERCE&window=LAST_365_DAYS&metric=WILSON_SCORE' +
        '&order=BEST_FIRST&minComplaints=20',
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...response.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(response.text);
    expect(header).toEqual(RANKING_CSV_HEADER);
    const graph = await postGraphQL<{ rankings: { edges: Array<{ node: RankedNode }> } }>(
      server.url,
      '{ rankings(industry: ECOMMERCE, window: LAST_365_DAYS, minComplaints: 20) ' +
        '{ edges { node { position name enterprise { id } figures { complaints wilsonScore } } } } }',
    );
    const expected = graph.data!.rankings.edges.map((e) => e.node);
    expect(rows).toHaveLength(expected.length);
    const col = (name: string) => header.indexOf(name);
    rows.forEach((row, i) => {
      expect(row[col('enterprise_id')]).toBe(expected[i].enterprise.id);
      expect(row[col('name')]).toBe(expected[i].name);
      expect(Number(row[col('position')])).toBe(expected[i].position);
      expect(Number(row[col('wilson_score')])).toBe(expected[i].figures.wilsonScore);
      expect(row[col('period_from')]).toBe('2025-11-23');
      expect(row[col('time_zone')]).toBe('Asia/Shanghai (UTC+08:00)');
    });
  });

  test('a published snapshot exports exactly as published, red list then black list', async () => {
    const snapshot = await slice.service.publishRedBlackSnapshot('ECOMMERCE', '2026-10', 2, 5, 'test');
    const response = await get(`/export/snapshots/${snapshot.id}.csv?version=${snapshot.version}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${snapshot.id}-v${snapshot.version}.csv"`,
    );
    const [header, ...rows] = parseCsv(response.text);
    expect(header).toEqual(SNAPSHOT_CSV_HEADER);
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => [r[col('list')], r[col('enterprise_id')], r[col('content_hash')]])).toEqual([
      ...snapshot.red.map((e) => ['red', e.enterpriseId, snapshot.contentHash]),
      ...snapshot.black.map((e) => ['black', e.enterpriseId, snapshot.contentHash]),
    ]);
  });

  test('bad parameters answer 400 BAD_USER_INPUT naming the parameter; an unknown snapshot answers 404', async () => {
    const negative = await get('/export/rankings.csv?industry=ECOMMERCE&minComplaints=-1');
    expect(negative.status).toBe(400);
    expect(JSON.parse(negative.text).errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'minComplaints',
    });
    const metric = await get('/export/rankings.csv?industry=ECOMMERCE&metric=LOUDNESS');
    expect(JSON.parse(metric.text).errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'metric',
    });
    const industry = await get('/export/rankings.csv');
    expect(JSON.parse(industry.text).errors[0].extensions).toMatchObject({ argumentPath: 'industry' });
    const missing = await get('/export/snapshots/rbl-FOOD-1999-01.csv');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).errors[0].extensions.code).toBe('NOT_FOUND');
    const broken = await get('/export/snapshots/%E0.csv');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'id',
      expected: 'a URL-encoded snapshot id',
    });
  });
});
