/**
 * Verification codes go through the accounts slice's durable outbox (platform/outbox/): delivered
 * over the real SMTP test server, retried through an SMTP outage and delivered once on recovery,
 * kept sealed while they wait and erased once delivered, and never written to the log; the answer
 * is the same whether or not the contact has an account.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { SqliteAccountStore } from '../../../subgraphs/accounts/store/accounts-sqlite.ts';
import { createSqliteCodeOutboxStore } from '../../../subgraphs/accounts/store/code-outbox-sqlite.ts';
import type { CodeOutboxStore } from '../../../subgraphs/accounts/store/code-outbox.ts';
import { createAccountsSubgraph } from '../../../subgraphs/accounts/subgraph.ts';
import { startGraph, type TestGraph } from '../../support/graph.ts';
import { startSmtpSink, whenReceived, type ReceivedMail } from '../cases/notify/receivers.ts';

/** Every log line the accounts subgraph writes, with an event per line so a test awaits one. */
class LogCapture {
  readonly lines: string[] = [];
  readonly events = new EventEmitter();
  readonly logger = pino(
    { level: 'debug' },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          this.lines.push(line);
          this.events.emit('line', line);
        }
        done();
      },
    }),
  );

  async waitFor(pattern: RegExp): Promise<void> {
    while (!this.lines.some((line) => pattern.test(line))) await once(this.events, 'line');
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function codeInMail(mail: ReceivedMail): string {
  const [headers, ...body] = mail.raw.split(/\r?\n\r?\n/);
  let text = body.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(headers)) text = Buffer.from(text, 'base64').toString('utf8');
  const code = /Your code is (\d{6})/.exec(text.replace(/=\r?\n/g, ''))?.[1];
  if (!code) throw new Error(`no code in the mail:\n${mail.raw}`);
  return code;
}

const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { message } }';
const SEND = 'mutation($c: String!) { sendVerificationCode(contact: $c, purpose: VERIFY_CONTACT) { message } }';
const VERIFY = 'mutation($c: String!, $code: String!) { verifyContact(contact: $c, code: $code) { accessToken } }';

let smtpPort: number;
let smtp: Awaited<ReturnType<typeof startSmtpSink>> | null = null;
let graph: TestGraph;
let outbox: CodeOutboxStore;
const log = new LogCapture();

beforeAll(async () => {
  smtpPort = await freePort();
  graph = await startGraph({
    // Nothing listens on the SMTP port until a test starts the server: an outage from the start.
    env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, UPSTREAM_TIMEOUT_MS: '2000' },
    overrides: {
      accounts: async (config) => {
        const store = new SqliteAccountStore(openSqlite(`${config.DATA_DIR}/accounts.db`));
        outbox = createSqliteCodeOutboxStore(store.db);
        return createAccountsSubgraph(
          { config, logger: log.logger },
          { store, codeRetry: { baseDelayMs: 100, maxDelayMs: 400, maxAttempts: 50 }, codePollIntervalMs: 50 },
        );
      },
    },
  });
});
afterAll(async () => {
  await graph.stop();
  await smtp?.stop();
});

async function accountIdOf(contact: string): Promise<string> {
  const row = new SqliteAccountStore(openSqlite(`${graph.dataDir}/accounts.db`));
  try {
    const account = await row.accountByContact({ kind: 'email', value: contact });
    if (!account) throw new Error(`no account for ${contact}`);
    return account.id;
  } finally {
    await row.close();
  }
}

test('through an SMTP outage the code is retried, delivered once on recovery, sealed while it waits', async () => {
  const to = 'outage@example.org';
  const registered = await graph.query<{ register: { message: string } }>(REGISTER, {
    i: { contact: to, password: 'a password for the test' },
  });
  expect(registered.errors).toBeUndefined();
  // The outage: attempts fail and are retried (the dispatcher logs each failure).
  await log.waitFor(/outbox row not delivered; will retry/);
  const accountId = await accountIdOf(to);
  const [waiting] = await outbox.rowsOf(accountId);
  expect(waiting).toMatchObject({ deliveredAt: null, recipient: { kind: 'email', address: to } });
  expect(waiting.attempts).toBeGreaterThanOrEqual(1);
  expect(waiting.sealedCode).toMatch(/^v1\./);

  // Recovery: the SMTP server comes up on its port; the next retry delivers.
  smtp = await startSmtpSink(smtpPort);
  const sink = smtp;
  await whenReceived(() => sink.mails.some((mail) => mail.to.includes(to)), 'the code mail after recovery');
  const code = codeInMail(sink.mails.find((mail) => mail.to.includes(to))!);
  await log.waitFor(/outbox row delivered/);

  // The row waited with the code sealed, not in clear; delivered, it keeps neither code nor address.
  expect(waiting.sealedCode).not.toContain(code);
  const [delivered] = await outbox.rowsOf(accountId);
  expect(delivered.deliveredAt).not.toBeNull();
  expect(delivered.sealedCode).toBeNull();
  expect(delivered.recipient.address).toBe('o***@example.org');
  // Delivered once: the row is finished, so no later round can claim it again.
  expect(
    await outbox.claimDue({ now: new Date(8.64e15), claimUntil: new Date(8.64e15), limit: 10, kinds: ['email'] }),
  ).toEqual([]);
  expect(sink.mails.filter((mail) => mail.to.includes(to))).toHaveLength(1);

  const verified = await graph.query(VERIFY, { c: to, code });
  expect(verified.errors).toBeUndefined();
  // Neither the code nor the address reached the log, failures included.
  expect(log.lines.filter((line) => line.includes(code) || line.includes(to))).toEqual([]);
});

test('the answer is the same whether or not the contact has an account; only the account gets a code', async () => {
  smtp ??= await startSmtpSink(smtpPort);
  const sink = smtp;
  const known = 'known@example.org';
  const unknown = 'unknown@example.org';
  await graph.query(REGISTER, { i: { contact: known, password: 'another test password' } });
  await whenReceived(() => sink.mails.some((mail) => mail.to.includes(known)), 'the first code');
  const knownAccount = await accountIdOf(known);
  // After the cool-down a new code may be sent; the cool-down's own answer is the same words.
  const forKnown = await graph.query<{ sendVerificationCode: { message: string } }>(SEND, { c: known });
  const forUnknown = await graph.query<{ sendVerificationCode: { message: string } }>(SEND, { c: unknown });
  expect(forKnown.errors).toBeUndefined();
  expect(forUnknown.errors).toBeUndefined();
  expect(forUnknown.data).toEqual(forKnown.data);
  expect(await outbox.rowsOf(knownAccount)).toHaveLength(1);
  const db = openSqlite(`${graph.dataDir}/accounts.db`);
  try {
    const queued = db.prepare('SELECT COUNT(*) AS n FROM code_outbox WHERE recipient_address = ?').get(unknown);
    expect(queued).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});
