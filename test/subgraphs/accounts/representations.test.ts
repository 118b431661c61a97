/** Representatives through the gateway: request by credit code, staff decide, the token carries the enterprise. */
import { creditCodeCheckCharacter } from '../../../platform/enterprise/credit-code.ts';
import type { TestGraph } from '../../support/graph.ts';
import { becomeRepresentative, CodeInbox, registerAndVerify, startGraphWithInbox, uploadLetter } from './support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
});
afterAll(() => graph.stop());

const withCheck = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const REQUEST = `mutation($code: String!, $name: String!, $letter: ID) {
  requestRepresentation(creditCode: $code, enterpriseName: $name, letterId: $letter) {
    accountId enterpriseId status } }`;
const DECIDE = `mutation($a: ID!, $e: ID!, $ok: Boolean!) {
  decideRepresentation(accountId: $a, enterpriseId: $e, approve: $ok) { status decidedAt } }`;
const SIGN_IN = `mutation($c: String!, $p: String!, $e: ID) {
  signIn(contact: $c, password: $p, enterpriseId: $e) { accessToken enterpriseId } }`;
type Representation = { accountId: string; enterpriseId: string; status: string };

test('a credit code with a wrong check character is refused with the argument named', async () => {
  const session = await registerAndVerify(graph, inbox, 'badcode@example.org', 'a long password');
  const code = withCheck('91310000MA1FL0000');
  const wrong = `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`;
  const answer = await graph.query(REQUEST, { code: wrong, name: '某某有限公司' }, session.accessToken);
  expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentPath: 'creditCode' } });
});

test('staff approve a request; the representative signs in for it and sees its cases, not another’s', async () => {
  const contact = 'rep@example.org';
  const session = await registerAndVerify(graph, inbox, contact, 'a long password');
  const requested = await graph.query<{ requestRepresentation: Representation }>(
    REQUEST,
    { code: withCheck('91310000MA1FL0000'), name: '示例科技有限公司' },
    session.accessToken,
  );
  expect(requested.data?.requestRepresentation.status).toBe('PENDING');
  const { enterpriseId, accountId } = requested.data!.requestRepresentation;

  const early = await graph.query(SIGN_IN, { c: contact, p: 'a long password', e: enterpriseId });
  expect(early.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

  const byComplainant = await graph.query(DECIDE, { a: accountId, e: enterpriseId, ok: true }, session.accessToken);
  expect(byComplainant.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

  const staff = await graph.tokenFor('staff', 'desk');
  const pending = await graph.query<{ pendingRepresentations: Representation[] }>(
    '{ pendingRepresentations { accountId enterpriseId } }',
    undefined,
    staff,
  );
  expect(pending.data?.pendingRepresentations).toContainEqual({ accountId, enterpriseId });
  // No letter yet: staff cannot approve; the requester uploads one and asks again with it.
  const unbacked = await graph.query(DECIDE, { a: accountId, e: enterpriseId, ok: true }, staff);
  expect(unbacked.errors?.[0]).toMatchObject({
    extensions: { code: 'CONFLICT', reason: 'AUTHORISATION_LETTER_MISSING' },
  });
  const uploaded = await uploadLetter(graph, session.accessToken);
  expect(uploaded.status).toBe(201);
  const { id: letter } = (await uploaded.json()) as { id: string };
  const withLetter = await graph.query(
    REQUEST,
    { code: withCheck('91310000MA1FL0000'), name: '示例科技有限公司', letter },
    session.accessToken,
  );
  expect(withLetter.errors).toBeUndefined();
  const decided = await graph.query<{ decideRepresentation: { status: string } }>(
    DECIDE,
    { a: accountId, e: enterpriseId, ok: true },
    staff,
  );
  expect(decided.data?.decideRepresentation.status).toBe('APPROVED');

  const asRep = await graph.query<{ signIn: { accessToken: string; enterpriseId: string } }>(SIGN_IN, {
    c: contact,
    p: 'a long password',
    e: enterpriseId,
  });
  expect(asRep.data?.signIn.enterpriseId).toBe(enterpriseId);
  const token = asRep.data!.signIn.accessToken;
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ role: 'enterprise', ent: enterpriseId, sub: accountId });
  const own = await graph.query('{ casesForEnterprise(first: 1) { edges { cursor } } }', undefined, token);
  expect(own.errors).toBeUndefined();
  const other = await graph.query(
    'query($e: ID!) { casesForEnterprise(enterpriseId: $e, first: 1) { edges { cursor } } }',
    { e: 'ent1_0000000000000000' },
    token,
  );
  expect(other.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

  const elsewhere = await graph.query(SIGN_IN, { c: contact, p: 'a long password', e: 'ent1_0000000000000000' });
  expect(elsewhere.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
});

test('staff see the security log, without personal data; a complainant may not', async () => {
  const session = await registerAndVerify(graph, inbox, 'curious@example.org', 'a long password');
  const refused = await graph.query('{ securityEvents { kind } }', undefined, session.accessToken);
  expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  const staff = await graph.tokenFor('staff', 'desk');
  const log = await graph.query<{ securityEvents: Array<{ kind: string; accountId: string | null }> }>(
    '{ securityEvents(first: 100) { at kind accountId detail } }',
    undefined,
    staff,
  );
  expect(log.data?.securityEvents.map((event) => event.kind)).toContain('verified');
  expect(JSON.stringify(log.data)).not.toMatch(/@example\.org|curious/);
});

const SWITCH = `mutation($t: String!, $e: ID) {
  refreshSession(refreshToken: $t, enterpriseId: $e) { accessToken refreshToken enterpriseId } }`;
type Switched = { refreshSession: { accessToken: string; refreshToken: string; enterpriseId: string | null } };

test('a representative who signed in without choosing switches that sign-in to act for the enterprise', async () => {
  const contact = 'later@example.org';
  const session = await registerAndVerify(graph, inbox, contact, 'a long password');
  const enterpriseId = await becomeRepresentative(graph, session, withCheck('91310000MA1FL0002'), '后选科技有限公司');
  const signedIn = await graph.query<{ signIn: { refreshToken: string } }>(
    `mutation($c: String!, $p: String!) { signIn(contact: $c, password: $p) { refreshToken } }`,
    { c: contact, p: 'a long password' },
  );
  const unchosen = signedIn.data!.signIn.refreshToken;

  const other = withCheck('91310000MA1FL0003');
  const elsewhere = await graph.query(SWITCH, { t: unchosen, e: `ent-${other}` });
  expect(elsewhere.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

  // The refused switch used nothing: the same refresh token still renews, now acting for the enterprise.
  const switched = await graph.query<Switched>(SWITCH, { t: unchosen, e: enterpriseId });
  expect(switched.errors).toBeUndefined();
  expect(switched.data!.refreshSession.enterpriseId).toBe(enterpriseId);
  const cases = await graph.query(
    '{ casesForEnterprise(first: 5) { edges { node { id } } } }',
    undefined,
    switched.data!.refreshSession.accessToken,
  );
  expect(cases.errors).toBeUndefined();

  // Omitted, the choice is kept; null acts as the account itself again.
  const kept = await graph.query<Switched>(SWITCH, { t: switched.data!.refreshSession.refreshToken });
  expect(kept.data!.refreshSession.enterpriseId).toBe(enterpriseId);
  const back = await graph.query<Switched>(SWITCH, { t: kept.data!.refreshSession.refreshToken, e: null });
  expect(back.data!.refreshSession.enterpriseId).toBeNull();
});
