import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openSqlite } from '../../../../platform/store/sqlite.ts';
import { CASE_MIGRATIONS } from '../../../../subgraphs/cases/store/case-repository-sqlite-schema.ts';
import { SqliteCaseRepository } from '../../../../subgraphs/cases/store/case-repository-sqlite.ts';
import { filedCase } from '../fixtures.ts';
import { describeCaseRepositoryContract } from './case-repository-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-cases-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCaseRepositoryContract(
  'sqlite',
  async () => new SqliteCaseRepository(openSqlite(join(dir, `cases-${++n}.db`))),
);

test('the staff queue and the enterprise listing are answered from their indexes', () => {
  const repo = new SqliteCaseRepository(openSqlite(join(dir, 'plan.db')));
  const plan = (sql: string, ...params: Array<string | number | null>) =>
    (repo.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join(' | ');
  expect(plan('SELECT doc FROM cases WHERE status = ? ORDER BY queue_deadline, id LIMIT 51', 'submitted')).toMatch(
    /USING INDEX cases_queue/,
  );
  expect(
    plan('SELECT doc FROM cases WHERE enterprise_id = ? ORDER BY submitted_at DESC, id DESC LIMIT 51', 'e'),
  ).toMatch(/USING INDEX cases_enterprise/);
  expect(plan('SELECT doc FROM cases WHERE status = ? ORDER BY queue_deadline, id LIMIT 51', 'submitted')).not.toMatch(
    /TEMP B-TREE/,
  );
  // A representative's listing skips the cases never forwarded to them through the partial index.
  const forwarded = plan(
    'SELECT doc FROM cases WHERE enterprise_id = ? AND forwarded_at IS NOT NULL ' +
      'ORDER BY submitted_at DESC, id DESC LIMIT 51',
    'e',
  );
  expect(forwarded).toMatch(/USING INDEX cases_enterprise_forwarded/);
  expect(forwarded).not.toMatch(/TEMP B-TREE/);
  repo.db.close();
});

test("an enterprise's latest published case is found from its own index, not by sorting all its cases", () => {
  const repo = new SqliteCaseRepository(openSqlite(join(dir, 'published-plan.db')));
  const latest = (
    repo.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM cases WHERE enterprise_id = ? AND published_at IS NOT NULL
           ORDER BY published_at DESC, id DESC LIMIT 1`,
      )
      .all('e') as Array<{ detail: string }>
  )
    .map((r) => r.detail)
    .join(' | ');
  expect(latest).toMatch(/USING COVERING INDEX cases_enterprise_published/);
  expect(latest).not.toMatch(/TEMP B-TREE/);
  repo.db.close();
});

const backFill = 'a store written before the evidence links existed back-fills them';
test(`${backFill}, so files attached earlier stay readable by their case`, async () => {
  const path = join(dir, 'before-links.db');
  const db = openSqlite(path);
  migrate(db, 'cases', CASE_MIGRATIONS.slice(0, 1));
  const record = { ...filedCase(), id: 'case-old', reference: 'WQ-20261120-000001', evidenceIds: ['ev_a', 'ev_b'] };
  db.prepare(
    `INSERT INTO cases (id, reference, status, version, complainant_id, enterprise_id, submitted_at, forwarded_at,
       queue_deadline, published_at, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.id,
    record.reference,
    record.status,
    record.version,
    record.complainantId,
    record.respondent.enterpriseId,
    record.submittedAt,
    null,
    record.acceptBy,
    null,
    JSON.stringify(record),
  );
  db.close();
  const repo = new SqliteCaseRepository(openSqlite(path));
  expect((await repo.casesWithEvidence('ev_b', {}, 10)).map((r) => r.id)).toEqual(['case-old']);
  const plan = (
    repo.db.prepare('EXPLAIN QUERY PLAN SELECT case_id FROM case_evidence WHERE evidence_id = ?').all('ev_b') as Array<{
      detail: string;
    }>
  )
    .map((r) => r.detail)
    .join(' | ');
  expect(plan).toMatch(/USING PRIMARY KEY|USING INDEX|USING COVERING INDEX/);
  await repo.close();
});
