/**
 * The benchmark's complainants as real accounts. In production the subgraphs accept only the
 * accounts subgraph's EdDSA access tokens (checked against its JWKS), so the complainants are
 * created in the accounts store before its process starts, as the demo seed does, and each signs
 * in through the accounts subgraph's `signIn` once it listens. scrypt costs about 0.6 s a hash on
 * this machine: every account shares one password (hashed once) and each signs in once.
 * An access token lives 15 minutes, longer than a default run after its sign-ins (about 4 min).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { request } from 'undici';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { AccountRole } from '../../subgraphs/accounts/domain/account.ts';
import { hashPassword } from '../../subgraphs/accounts/secrets.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';

const contactOf = (id: string) => `${id}@bench.weiquan.invalid`;

/** Creates a verified complainant account for each id in `DATA_DIR/accounts.db`; returns their password. */
export async function seedComplainantAccounts(dataDir: string, ids: readonly string[]): Promise<string> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const store = new SqliteAccountStore(openSqlite(join(dataDir, 'accounts.db')));
  try {
    const now = new Date();
    for (const id of ids) {
      const created = await store.insertAccount({
        id,
        role: AccountRole.Complainant,
        contact: { kind: 'email', value: contactOf(id) },
        passwordHash,
        verifiedAt: now,
        createdAt: now,
        deletedAt: null,
      });
      if (!created) throw new Error(`the benchmark account ${id} already exists in ${dataDir}`);
    }
  } finally {
    await store.close();
  }
  return password;
}

const SIGN_IN =
  'mutation($contact: String!, $password: String!) { signIn(contact: $contact, password: $password) { accessToken } }';

/** Signs each id in through the accounts subgraph at `accountsUrl`; returns its access token by id. */
export async function signInAll(
  accountsUrl: string,
  ids: readonly string[],
  password: string,
): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const id of ids) {
    const response = await request(accountsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SIGN_IN, variables: { contact: contactOf(id), password } }),
    });
    const text = await response.body.text();
    const token = (JSON.parse(text) as { data?: { signIn?: { accessToken?: string } } }).data?.signIn?.accessToken;
    if (response.statusCode !== 200 || !token) throw new Error(`signIn of ${id} failed: ${text.slice(0, 300)}`);
    tokens.set(id, token);
  }
  return tokens;
}
