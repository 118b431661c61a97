/**
 * The accounts flow through the real gateway and subgraphs: register, confirm with the code, sign
 * in, file a case with the access token (no `npm run token`), refresh, sign out.
 */
import type { TestGraph } from '../../support/graph.ts';
import { CodeInbox, registerAndVerify, SESSION_FIELDS, startGraphWithInbox, type SessionShape } from './support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
});
afterAll(() => graph.stop());

const SIGN_IN = `mutation($contact: String!, $password: String!) {
  signIn(contact: $contact, password: $password) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`;
const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id status } }`;
const filing = {
  complainant: { name: '王五', phone: '13800138000' },
  respondent: { name: '演示速购网络科技有限公司', storeUrl: 'https://shop.example.com/sugou' },
  industry: 'ECOMMERCE',
  issueType: 'REFUND',
  title: '退货后未退款',
  description: '11月3日退回商品，商家签收后两周仍未退款。',
  demands: '退还货款 499 元',
  amount: 499,
  occurredOn: '2026-11-01',
  contactedBusinessOn: '2026-11-05',
  businessOutcome: 'NO_REPLY',
};

test('a new complainant registers, confirms the code, signs in and files a case through the gateway', async () => {
  const contact = '13912345678';
  const first = await registerAndVerify(graph, inbox, contact, PASSWORD);
  expect(first.account).toMatchObject({ role: 'COMPLAINANT', contact: '139****5678', verified: true });
  expect(first.expiresIn).toBe(900);

  const signedIn = await graph.query<{ signIn: SessionShape }>(SIGN_IN, {
    contact: '+86 139-1234-5678',
    password: PASSWORD,
  });
  expect(signedIn.errors).toBeUndefined();
  const token = signedIn.data!.signIn.accessToken;

  const filed = await graph.query<{ submitCase: { id: string; status: string } }>(SUBMIT, { input: filing }, token);
  expect(filed.errors).toBeUndefined();
  expect(filed.data!.submitCase.status).toBe('SUBMITTED');
  const mine = await graph.query<{ myCases: { edges: Array<{ node: { id: string } }> } }>(
    '{ myCases(first: 5) { edges { node { id } } } }',
    undefined,
    token,
  );
  expect(mine.data!.myCases.edges.map((edge) => edge.node.id)).toEqual([filed.data!.submitCase.id]);
});

test('the access token is accepted by a subgraph reached directly, verified against the JWKS', async () => {
  const session = await registerAndVerify(graph, inbox, 'direct@example.org', PASSWORD);
  const direct = await graph.query<{ myCases: { edges: unknown[] } }>(
    '{ myCases(first: 1) { edges { node { id } } } }',
    undefined,
    session.accessToken,
    graph.urls.cases,
  );
  expect(direct.errors).toBeUndefined();
  const jwks = (await (await fetch(new URL('/.well-known/jwks.json', graph.urls.accounts))).json()) as {
    keys: Array<Record<string, string>>;
  };
  const [header] = session.accessToken.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string };
  expect(alg).toBe('EdDSA');
  expect(jwks.keys.map((key) => key.kid)).toContain(kid);
  for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
});

test('a wrong password and an unknown contact get the same answer', async () => {
  await registerAndVerify(graph, inbox, 'same-answer@example.org', PASSWORD);
  const wrong = await graph.query(SIGN_IN, { contact: 'same-answer@example.org', password: 'not the password' });
  const unknown = await graph.query(SIGN_IN, { contact: 'nobody-here@example.org', password: 'not the password' });
  expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
  expect(unknown.errors?.[0].extensions).toEqual(wrong.errors?.[0].extensions);
});

test('registering a taken contact answers exactly as for a new one, and sends nothing', async () => {
  await registerAndVerify(graph, inbox, 'taken@example.org', PASSWORD);
  const sentBefore = inbox.count('taken@example.org');
  const register = 'mutation($input: RegisterInput!) { register(input: $input) { message } }';
  const again = await graph.query(register, {
    input: { contact: 'taken@example.org', password: 'another password 1' },
  });
  const fresh = await graph.query(register, {
    input: { contact: 'fresh@example.org', password: 'another password 1' },
  });
  expect(again).toMatchObject({ data: fresh.data });
  await inbox.code('fresh@example.org');
  expect(inbox.count('taken@example.org')).toBe(sentBefore);
});

test('a refresh token works once: the rotated one works; reusing the old one signs the family out', async () => {
  const first = await registerAndVerify(graph, inbox, 'rotate@example.org', PASSWORD);
  const second = await graph.query<{ refreshSession: SessionShape }>(REFRESH, { refreshToken: first.refreshToken });
  expect(second.errors).toBeUndefined();
  const rotated = second.data!.refreshSession.refreshToken;
  expect(rotated).not.toBe(first.refreshToken);

  const reuse = await graph.query(REFRESH, { refreshToken: first.refreshToken });
  expect(reuse.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(reuse.errors?.[0].message).toMatch(/already used/);
  const afterReuse = await graph.query(REFRESH, { refreshToken: rotated });
  expect(afterReuse.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});

test('signing out ends the sign-in: its refresh token no longer renews', async () => {
  const session = await registerAndVerify(graph, inbox, 'signout@example.org', PASSWORD);
  const out = await graph.query<{ signOut: boolean }>('mutation($t: String!) { signOut(refreshToken: $t) }', {
    t: session.refreshToken,
  });
  expect(out.data?.signOut).toBe(true);
  const renewed = await graph.query(REFRESH, { refreshToken: session.refreshToken });
  expect(renewed.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});

test('a wrong code is refused, and after five tries even the right code is', async () => {
  const contact = 'five-tries@example.org';
  await graph.query('mutation($input: RegisterInput!) { register(input: $input) { message } }', {
    input: { contact, password: PASSWORD },
  });
  const code = await inbox.code(contact);
  const wrong = code === '000000' ? '000001' : '000000';
  const verify =
    'mutation($contact: String!, $code: String!) { verifyContact(contact: $contact, code: $code) { accessToken } }';
  for (let i = 0; i < 5; i++) {
    const attempt = await graph.query(verify, { contact, code: wrong });
    expect(attempt.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentPath: 'code' } });
  }
  const right = await graph.query(verify, { contact, code });
  expect(right.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentPath: 'code' } });
});

test('forgot password: a reset code sets a new password and signs every session out', async () => {
  const contact = 'forgot@example.org';
  const session = await registerAndVerify(graph, inbox, contact, PASSWORD);
  const sent = inbox.count(contact);
  await graph.query(
    'mutation($c: String!) { sendVerificationCode(contact: $c, purpose: RESET_PASSWORD) { message } }',
    {
      c: contact,
    },
  );
  const code = await inbox.code(contact, sent);
  const reset = await graph.query(
    'mutation($c: String!, $code: String!, $p: String!) { ' +
      'resetPassword(contact: $c, code: $code, newPassword: $p) { message } }',
    { c: contact, code, p: 'a brand new password' },
  );
  expect(reset.errors).toBeUndefined();
  expect((await graph.query(SIGN_IN, { contact, password: PASSWORD })).errors?.[0]).toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
  expect((await graph.query(SIGN_IN, { contact, password: 'a brand new password' })).errors).toBeUndefined();
  expect((await graph.query(REFRESH, { refreshToken: session.refreshToken })).errors?.[0]).toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test('changing the password needs the current one and returns a new session', async () => {
  const session = await registerAndVerify(graph, inbox, 'change@example.org', PASSWORD);
  const change =
    'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken } }';
  const refused = await graph.query(change, { c: 'not it at all', n: 'the next password' }, session.accessToken);
  expect(refused.errors?.[0]).toMatchObject({
    extensions: { code: 'BAD_USER_INPUT', argumentPath: 'currentPassword' },
  });
  const changed = await graph.query(change, { c: PASSWORD, n: 'the next password' }, session.accessToken);
  expect(changed.errors).toBeUndefined();
  expect(
    (await graph.query(SIGN_IN, { contact: 'change@example.org', password: 'the next password' })).errors,
  ).toBeUndefined();
});

test('deleting an account removes its sign-in and contact but keeps its cases', async () => {
  const contact = 'delete-me@example.org';
  const session = await registerAndVerify(graph, inbox, contact, PASSWORD);
  const filed = await graph.query<{ submitCase: { id: string } }>(SUBMIT, { input: filing }, session.accessToken);
  const deleted = await graph.query<{ deleteAccount: boolean }>(
    'mutation($p: String!) { deleteAccount(password: $p) }',
    { p: PASSWORD },
    session.accessToken,
  );
  expect(deleted.data?.deleteAccount).toBe(true);
  expect((await graph.query(SIGN_IN, { contact, password: PASSWORD })).errors?.[0]).toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
  const staff = await graph.tokenFor('staff', 'desk');
  const kept = await graph.query<{ case: { id: string } | null }>(
    'query($id: ID!) { case(id: $id) { id } }',
    { id: filed.data!.submitCase.id },
    staff,
  );
  expect(kept.data?.case?.id).toBe(filed.data!.submitCase.id);
});

test('me answers the signed-in account, masked, and refuses an anonymous caller', async () => {
  const session = await registerAndVerify(graph, inbox, 'me@example.org', PASSWORD);
  const me = await graph.query<{ me: { id: string; contact: string } }>(
    '{ me { id contact } }',
    undefined,
    session.accessToken,
  );
  expect(me.data?.me).toEqual({ id: session.account.id, contact: 'm***@example.org' });
  expect((await graph.query('{ me { id } }')).errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});
