import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { SqliteAccountStore } from '../../../../subgraphs/accounts/store/accounts-sqlite.ts';
import { describeAccountStoreContract } from './accounts-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-accounts-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeAccountStoreContract('sqlite', async () => new SqliteAccountStore(openSqlite(join(dir, `accounts-${++n}.db`))));
