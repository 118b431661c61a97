import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { SqliteCaseRepository } from '../../../../subgraphs/cases/store/sqlite.ts';
import { describeCaseRepositoryContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-cases-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCaseRepositoryContract('sqlite', async () => new SqliteCaseRepository(openSqlite(join(dir, `cases-${++n}.db`))));

test('the staff queue and the enterprise listing are answered from their indexes', () => {
  const repo = new SqliteCaseRepository(openSqlite(join(dir, 'plan.db')));
  const plan = (sql: string, ...params: Array<string | number | null>) =>
    (repo.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  expect(plan('SELECT doc FROM cases WHERE status = ? ORDER BY queue_deadline, id LIMIT 51', 'submitted')).toMatch(/USING INDEX cases_queue/);
  expect(plan('SELECT doc FROM cases WHERE enterprise_id = ? ORDER BY submitted_at DESC, id DESC LIMIT 51', 'e')).toMatch(/USING INDEX cases_enterprise/);
  expect(plan('SELECT doc FROM cases WHERE status = ? ORDER BY queue_deadline, id LIMIT 51', 'submitted')).not.toMatch(/TEMP B-TREE/);
  repo.db.close();
});
