/**
 * The cases store's public-data version (subgraphs/cases/store/cases-public-version-sqlite.ts),
 * which the gateway's response cache follows: it moves with every write of a published case row,
 * whoever makes it, and with nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { CaseAction } from '../../../../subgraphs/cases/domain/lifecycle.ts';
import type { CaseRecord } from '../../../../subgraphs/cases/domain/model.ts';
import { SqliteCaseRepository } from '../../../../subgraphs/cases/store/case-repository-sqlite.ts';
import { sqliteCasesPublicVersion } from '../../../../subgraphs/cases/store/cases-public-version-sqlite.ts';
import { createSqliteOutboxDispatchStore } from '../../../../subgraphs/cases/store/outbox-dispatch-sqlite.ts';
import { staff } from '../fixtures.ts';
import { act, file } from './case-repository-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-cases-version-'));
let n = 0;
const opened: DatabaseSync[] = [];
afterAll(() => {
  for (const db of opened) if (db.isOpen) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 2));

function openStore(path = join(dir, `cases-${++n}.db`)) {
  const repo = new SqliteCaseRepository(openSqlite(path));
  opened.push(repo.db);
  return { repo, path, version: sqliteCasesPublicVersion(repo.db) };
}

async function published(repo: SqliteCaseRepository, respondent = '某某电器旗舰店'): Promise<CaseRecord> {
  let record = await file(repo, day(1), { respondent });
  record = await act(repo, record, { action: CaseAction.Reject, reason: '不属受理范围' }, staff, day(2));
  record = await act(repo, record, { action: CaseAction.Close, reason: '结案' }, staff, day(3));
  return act(repo, record, { action: CaseAction.Publish }, staff, day(4));
}

test('a filing, an acceptance and an outbox delivery of unpublished cases leave the version unchanged', async () => {
  const { repo, version } = openStore();
  const before = version.current();
  const filed = await file(repo, day(1));
  await act(repo, filed, { action: CaseAction.Accept }, staff, day(2));
  const outbox = createSqliteOutboxDispatchStore(repo.db);
  const due = await outbox.claimDue({ now: day(5), claimUntil: day(6), limit: 10, kinds: ['email', 'webhook'] });
  expect(due.length).toBeGreaterThan(0);
  await outbox.markDelivered(due[0].id, day(5), '250 OK');
  expect(version.current()).toBe(before);
});

test('publishing a case moves the version', async () => {
  const { repo, version } = openStore();
  let record = await file(repo, day(1));
  record = await act(repo, record, { action: CaseAction.Reject, reason: '不属受理范围' }, staff, day(2));
  record = await act(repo, record, { action: CaseAction.Close, reason: '结案' }, staff, day(3));
  const closed = version.current();
  await act(repo, record, { action: CaseAction.Publish }, staff, day(4));
  expect(version.current()).not.toBe(closed);
});

test('the registry’s move of a published name-only case to its credit-code id moves the version', async () => {
  const { repo, version } = openStore();
  const record = await published(repo, '只报了名字的店');
  const before = version.current();
  expect(await repo.relinkRespondent([record.respondent.enterpriseId], 'ent1_credit_code_id')).toBe(1);
  expect(version.current()).not.toBe(before);
});

test('an edit of a published row by another connection (an admin script) moves the version', async () => {
  const { repo, path, version } = openStore();
  const record = await published(repo);
  const before = version.current();
  const script = openSqlite(path);
  opened.push(script);
  script
    .prepare("UPDATE cases SET doc = json_set(doc, '$.publication.title', ?) WHERE id = ?")
    .run('已更正的标题', record.id);
  script.close();
  expect(version.current()).not.toBe(before);
});

test('a fresh database has a different version than an old one with the same counter', async () => {
  const old = openStore();
  const fresh = openStore();
  await published(old.repo);
  await published(fresh.repo);
  const [oldGeneration, oldCounter] = old.version.current().split('.');
  const [freshGeneration, freshCounter] = fresh.version.current().split('.');
  expect(freshCounter).toBe(oldCounter);
  expect(freshGeneration).not.toBe(oldGeneration);
});

test('the version survives reopening the database', async () => {
  const first = openStore();
  await published(first.repo);
  const before = first.version.current();
  first.repo.db.close();
  expect(openStore(first.path).version.current()).toBe(before);
});
