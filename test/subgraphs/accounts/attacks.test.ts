/**
 * The issue's attacks with real access tokens (signed by the accounts subgraph, verified against
 * its JWKS): complainant B on complainant A's case, and a representative of X on Y's cases, through
 * the gateway and directly at the cases port. Each fails closed.
 */
import { creditCodeCheckCharacter } from '../../../platform/enterprise/credit-code.ts';
import type { TestGraph } from '../../support/graph.ts';
import { becomeRepresentative, CodeInbox, registerAndVerify, startGraphWithInbox } from './support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
let tokenA: string;
let tokenB: string;
let repX: string;
let caseOfA: string;
let forwardedCaseOfY: string;

const code = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const CODE_X = code('91310000MA1FX0001');
const CODE_Y = code('91310000MA1FY0002');
const PASSWORD = 'a password for attacks';

const SUBMIT = 'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }';
function filing(creditCode: string) {
  return {
    complainant: { name: '张三', phone: '13800138000' },
    respondent: { name: '被投诉公司', creditCode },
    industry: 'ECOMMERCE',
    issueType: 'REFUND',
    title: '退货后未退款',
    description: '11月3日退回商品，商家签收后两周仍未退款，客服不再回复。',
    demands: '退还货款 499 元',
    amount: 499,
    occurredOn: '2026-11-01',
  };
}

beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
  tokenA = (await registerAndVerify(graph, inbox, 'a@example.org', PASSWORD)).accessToken;
  tokenB = (await registerAndVerify(graph, inbox, 'b@example.org', PASSWORD)).accessToken;
  const rep = await registerAndVerify(graph, inbox, 'rep-x@example.org', PASSWORD);
  const enterpriseX = await becomeRepresentative(graph, rep, CODE_X, 'X 公司');
  const staff = await graph.tokenFor('staff', 'desk');
  const signedIn = await graph.query<{ signIn: { accessToken: string } }>(
    'mutation($e: ID!) { signIn(contact: "rep-x@example.org", password: "a password for attacks", enterpriseId: $e) ' +
      '{ accessToken } }',
    { e: enterpriseX },
  );
  repX = signedIn.data!.signIn.accessToken;

  caseOfA = (await graph.query<{ submitCase: { id: string } }>(SUBMIT, { input: filing(CODE_X) }, tokenA)).data!
    .submitCase.id;
  forwardedCaseOfY = (await graph.query<{ submitCase: { id: string } }>(SUBMIT, { input: filing(CODE_Y) }, tokenA))
    .data!.submitCase.id;
  for (const step of ['acceptCase', 'forwardCase']) {
    const done = await graph.query(
      `mutation($id: ID!) { ${step}(input: { id: $id }) { id } }`,
      { id: forwardedCaseOfY },
      staff,
    );
    expect(done.errors).toBeUndefined();
  }
});
afterAll(() => graph.stop());

const CASE = 'query($id: ID!) { case(id: $id) { id complainant { name phone } } }';

test('complainant B cannot read A’s case by id, through the gateway or at the cases port', async () => {
  expect((await graph.query(CASE, { id: caseOfA }, tokenA)).errors).toBeUndefined();
  for (const url of [graph.gatewayUrl, graph.urls.cases]) {
    const answer = await graph.query<{ case: unknown }>(CASE, { id: caseOfA }, tokenB, url);
    expect(answer.data?.case ?? null).toBeNull();
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  }
});

test('complainant B gets nothing of A’s case through aliases or _entities', async () => {
  const aliased = await graph.query<Record<string, unknown>>(
    'query($id: ID!) { one: case(id: $id) { id } two: case(id: $id) { title } }',
    { id: caseOfA },
    tokenB,
  );
  expect(aliased.data?.one ?? null).toBeNull();
  expect(aliased.data?.two ?? null).toBeNull();
  expect(JSON.stringify(aliased)).not.toContain('退货');
  const entities = await graph.query<{ _entities: Array<Record<string, unknown> | null> }>(
    'query($id: ID!) { _entities(representations: [{ __typename: "Case", id: $id }]) { ... on Case { id title } } }',
    { id: caseOfA },
    tokenB,
    graph.urls.cases,
  );
  expect(entities.data?._entities[0] ?? null).toBeNull();
  expect(JSON.stringify(entities)).not.toContain('退货');
});

test('a representative of X cannot list or read Y’s cases, even forwarded ones', async () => {
  for (const url of [graph.gatewayUrl, graph.urls.cases]) {
    const listed = await graph.query(
      'query($e: ID) { casesForEnterprise(enterpriseId: $e) { edges { node { id } } } }',
      { e: null },
      repX,
      url,
    );
    expect(listed.errors).toBeUndefined();
    expect(JSON.stringify(listed.data)).not.toContain(forwardedCaseOfY);
    const read = await graph.query<{ case: unknown }>(CASE, { id: forwardedCaseOfY }, repX, url);
    expect(read.data?.case ?? null).toBeNull();
    expect(read.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  }
});
