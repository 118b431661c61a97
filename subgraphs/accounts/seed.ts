import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import { AccountRole, RepresentationStatus, type AccountRecord } from './domain/account.ts';
import type { Contact } from './domain/contact.ts';
import { hashPassword } from './secrets.ts';
import type { AccountStore } from './store/accounts.ts';

/**
 * Demo accounts for a fresh `npm start`: a complainant, a representative, staff and an admin. Their
 * ids are the ones the demo cases were filed and handled under (subgraphs/cases/seed.ts), so each
 * sees the demo data of their role. Passwords are random, printed once and written to
 * `DATA_DIR/demo-accounts.txt` (mode 600): nothing guessable ships.
 */
export const DEMO_REPRESENTED_ENTERPRISE_NAME = '演示优品商城有限公司';
/** A valid (check-digit) demo code: the demo enterprise's id comes from its name, so this is only shown. */
const DEMO_CREDIT_CODE = '91110000MA01ABCD2Q';

interface DemoAccount {
  id: string;
  role: AccountRole;
  contact: Contact;
  label: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    id: 'demo-complainant',
    role: AccountRole.Complainant,
    contact: { kind: 'email', value: 'complainant@demo.weiquan.invalid' },
    label: 'complainant',
  },
  {
    id: 'demo-rep',
    role: AccountRole.Complainant,
    contact: { kind: 'email', value: 'representative@demo.weiquan.invalid' },
    label: 'representative',
  },
  {
    id: 'demo-staff',
    role: AccountRole.Staff,
    contact: { kind: 'email', value: 'staff@demo.weiquan.invalid' },
    label: 'staff',
  },
  {
    id: 'demo-admin',
    role: AccountRole.Admin,
    contact: { kind: 'email', value: 'admin@demo.weiquan.invalid' },
    label: 'admin',
  },
];

/**
 * Creates the demo accounts missing from the store; returns the lines to print (empty when every
 * account already existed: passwords are shown only once, at the start that created them).
 */
export async function seedDemoAccounts(store: AccountStore, dataDir: string, now: Date): Promise<string[]> {
  const lines: string[] = [];
  const representedId = enterpriseResolver().resolve({ name: DEMO_REPRESENTED_ENTERPRISE_NAME }).id;
  for (const demo of DEMO_ACCOUNTS) {
    if (await store.accountById(demo.id)) continue;
    const password = randomBytes(12).toString('base64url');
    const account: AccountRecord = {
      id: demo.id,
      role: demo.role,
      contact: demo.contact,
      passwordHash: await hashPassword(password),
      verifiedAt: now,
      createdAt: now,
      deletedAt: null,
    };
    if (!(await store.insertAccount(account))) continue;
    if (demo.label === 'representative') {
      await store.upsertRepresentation({
        accountId: demo.id,
        enterpriseId: representedId,
        creditCode: DEMO_CREDIT_CODE,
        enterpriseName: DEMO_REPRESENTED_ENTERPRISE_NAME,
        // Seeded as approved: a demo has no letter to back it.
        letterId: null,
        status: RepresentationStatus.Approved,
        requestedAt: now,
        decidedAt: now,
      });
    }
    const extra = demo.label === 'representative' ? `  enterpriseId ${representedId}` : '';
    lines.push(`${demo.label.padEnd(15)} ${demo.contact.value}  ${password}${extra}`);
  }
  if (lines.length > 0) {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'demo-accounts.txt');
    const header = `# Weiquan demo accounts, created ${now.toISOString()}: role, sign-in contact, password\n`;
    writeFileSync(file, `${header}${lines.join('\n')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return lines;
}
