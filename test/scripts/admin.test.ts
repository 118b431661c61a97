import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { verifyPassword } from '../../subgraphs/accounts/secrets.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';
import { REPO_ROOT } from '../support/process.ts';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'weiquan-admin-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/admin.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });

test('create-staff makes a verified staff account whose password is printed once', async () => {
  const result = admin('create-staff', '--contact', 'Desk@Example.org', '--role', 'admin');
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const password = /Password .*: (\S+)$/m.exec(result.stdout)?.[1] ?? '';
  const store = new SqliteAccountStore(openSqlite(join(dataDir, 'accounts.db')));
  const account = await store.accountByContact({ kind: 'email', value: 'desk@example.org' });
  await store.close();
  expect(account).toMatchObject({ role: 'admin', verifiedAt: expect.any(Date) });
  expect(await verifyPassword(password, account!.passwordHash!)).toBe(true);
});

test('create-staff refuses a contact that already has an account, and a role that is not staff or admin', () => {
  expect(admin('create-staff', '--contact', 'desk@example.org').status).toBe(2);
  const wrongRole = admin('create-staff', '--contact', 'x@example.org', '--role', 'complainant');
  expect(wrongRole.status).toBe(2);
  expect(wrongRole.stderr).toMatch(/--role must be staff or admin/);
});

test('rotate-keys adds a signing key', () => {
  const result = admin('rotate-keys');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/New signing key k\d{8}-[0-9a-f]{8}/);
});
