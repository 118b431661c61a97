/**
 * Account administration on the accounts store (the same DATA_DIR or MONGODB_URI as the graph):
 *   npm run admin -- create-staff --contact desk@example.org [--role staff|admin]
 *   npm run admin -- rotate-keys
 * create-staff prints the new account's random password once; staff and admins are never
 * self-registered. rotate-keys makes a new signing key (published at once, signing a minute later).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { AccountRole } from '../subgraphs/accounts/domain/account.ts';
import { parseContact } from '../subgraphs/accounts/domain/contact.ts';
import { SigningKeys } from '../subgraphs/accounts/keys.ts';
import { createDeskAccount } from '../subgraphs/accounts/representations.ts';
import { newAccountId } from '../subgraphs/accounts/secrets.ts';
import { openAccountStore } from '../subgraphs/accounts/subgraph.ts';

const USAGE =
  'Usage: npm run admin -- create-staff --contact <phone or e-mail> [--role staff|admin]\n' +
  '       npm run admin -- rotate-keys';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { contact: { type: 'string' }, role: { type: 'string', default: 'staff' } },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const [command] = positionals;
if (command !== 'create-staff' && command !== 'rotate-keys') fail(USAGE);
const logger = createLogger('warn', 'admin');
const store = await openAccountStore(config);
try {
  if (command === 'rotate-keys') {
    const key = await new SigningKeys(store, () => new Date()).rotate();
    console.log(`New signing key ${key.kid}: published now, signing from one minute on.`);
  } else {
    const contact = values.contact ? parseContact(values.contact) : null;
    if (!contact) fail(`--contact must be a mainland mobile number or an e-mail address.\n${USAGE}`);
    if (values.role !== AccountRole.Staff && values.role !== AccountRole.Admin) {
      fail(`--role must be staff or admin, got ${JSON.stringify(values.role)}.`);
    }
    const password = randomBytes(12).toString('base64url');
    const account = await createDeskAccount(
      { store, now: () => new Date(), logger },
      contact,
      values.role,
      newAccountId(),
      password,
    ).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    console.log(`Created ${account.role} account ${account.id} for ${contact.value}.`);
    console.log(`Password (shown once; sign in and change it with changePassword): ${password}`);
  }
} finally {
  await store.close();
}
