/**
 * Mints a bearer token for development and demos:
 *   npm run token -- --role staff --sub alice
 *   npm run token -- --role enterprise --sub rep1 --enterprise ent1_…
 * It signs with AUTH_SECRET from the environment (the development default if unset).
 */
import { parseArgs } from 'node:util';
import { issueToken } from '../platform/auth.ts';
import { loadConfig } from '../platform/config.ts';
import { Role } from '../platform/context.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    enterprise: { type: 'string' },
    ttl: { type: 'string', default: '86400' },
  },
});
const roles = Object.values(Role) as string[];
if (!values.role || !roles.includes(values.role) || !values.sub) {
  console.error(
    `Usage: npm run token -- --role <${roles.join('|')}> --sub <user id> [--enterprise <Enterprise.id>] ` +
      `[--ttl seconds]`,
  );
  process.exit(2);
}
if (values.role === Role.Enterprise && !values.enterprise) {
  console.error('An enterprise token needs --enterprise <Enterprise.id>.');
  process.exit(2);
}
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) {
  console.error(`--ttl must be a positive whole number of seconds, got ${JSON.stringify(values.ttl)}.`);
  process.exit(2);
}
const config = loadConfig();
console.log(
  await issueToken(
    config.AUTH_SECRET,
    { id: values.sub, role: values.role as Role, ...(values.enterprise ? { enterpriseId: values.enterprise } : {}) },
    ttl,
  ),
);
