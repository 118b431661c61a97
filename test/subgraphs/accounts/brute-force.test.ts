/** Brute force through the real gateway: locks answer RATE_LIMITED, and a client cannot pick its own address. */
import { join } from 'node:path';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { LIMITS } from '../../../subgraphs/accounts/limits.ts';
import { SqliteAccountStore } from '../../../subgraphs/accounts/store/accounts-sqlite.ts';
import { postGraphQL, type TestGraph } from '../../support/graph.ts';
import { CodeInbox, registerAndVerify, startGraphWithInbox } from './support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
});
afterAll(() => graph.stop());

const SIGN_IN = `mutation($c: String!, $p: String!) { signIn(contact: $c, password: $p) { accessToken } }`;

test('after five wrong passwords even the right one is refused with RATE_LIMITED, and the lock is logged', async () => {
  const contact = 'target@example.org';
  const session = await registerAndVerify(graph, inbox, contact, 'the real password');
  for (let i = 0; i < LIMITS.signInByContact.points; i++) {
    const attempt = await graph.query(SIGN_IN, { c: contact, p: `guess number ${i}` });
    expect(attempt.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  }
  const locked = await graph.query(SIGN_IN, { c: contact, p: 'the real password' });
  expect(locked.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 900 } });

  const store = new SqliteAccountStore(openSqlite(join(graph.dataDir, 'accounts.db')));
  const events = await store.securityEvents(20);
  await store.close();
  expect(events.filter((event) => event.kind === 'sign_in_failed')).toHaveLength(5);
  expect(events.find((event) => event.kind === 'locked')).toMatchObject({
    accountId: session.account.id,
    detail: 'signInByContact',
  });
  expect(JSON.stringify(events)).not.toContain('target');
});

test('a spoofed x-forwarded-for does not escape the per-address limit on code requests', async () => {
  const send = 'mutation($c: String!) { sendVerificationCode(contact: $c, purpose: VERIFY_CONTACT) { message } }';
  // Each request claims another address; all count against the one the gateway saw (some were spent above).
  let accepted = 0;
  for (let i = 0; i <= LIMITS.codeSendByAddress.points; i++) {
    const answer = await postGraphQL(graph.gatewayUrl, send, { c: `spoof${i}@example.org` }, undefined, {
      'x-forwarded-for': `192.0.2.${i}`,
    });
    if (answer.errors) {
      expect(answer.errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      break;
    }
    accepted++;
  }
  expect(accepted).toBeGreaterThan(0);
  expect(accepted).toBeLessThan(LIMITS.codeSendByAddress.points);
});
