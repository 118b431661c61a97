import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { SqliteAppKeyStore } from '../../../../subgraphs/accounts/store/app-keys-sqlite.ts';
import { describeAppKeyStoreContract } from './app-keys-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-app-keys-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeAppKeyStoreContract('sqlite', async () => new SqliteAppKeyStore(openSqlite(join(dir, `accounts-${++n}.db`))));
