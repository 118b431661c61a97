import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { seedDemoAccounts } from '../../../subgraphs/accounts/seed.ts';
import { SqliteAccountStore } from '../../../subgraphs/accounts/store/accounts-sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-accounts-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('demo passwords are random and shown only by the start that created the accounts', async () => {
  const store = new SqliteAccountStore(openSqlite(join(dir, 'accounts.db')));
  const first = await seedDemoAccounts(store, dir, new Date());
  expect(first).toHaveLength(4);
  const written = readFileSync(join(dir, 'demo-accounts.txt'), 'utf8');
  expect(await seedDemoAccounts(store, dir, new Date())).toEqual([]);
  expect(readFileSync(join(dir, 'demo-accounts.txt'), 'utf8')).toBe(written);
  const passwords = first.map((line) => line.trim().split(/\s+/)[2]);
  expect(new Set(passwords).size).toBe(4);
  for (const password of passwords) expect(password).toMatch(/^[\w-]{16}$/);
  expect(await store.accountById('demo-staff')).toMatchObject({ role: 'staff' });
  await store.close();
});
