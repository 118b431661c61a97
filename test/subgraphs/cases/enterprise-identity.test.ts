/**
 * One enterprise, two ids: a complaint that names the respondent alone gets an id derived from the
 * name, a representative is approved by the credit code. Once staff approve the representative (with
 * the registered name), the enterprise registry links the two: the representative sees the
 * complaints filed by the name alone as well as those giving the code, earlier ones (re-linked) and
 * later ones (filed under the code's id), through the real gateway and subgraphs.
 */
import { creditCodeCheckCharacter } from '../../../platform/enterprise/credit-code.ts';
import type { TestGraph } from '../../support/graph.ts';
import { becomeRepresentative, CodeInbox, registerAndVerify, startGraphWithInbox } from '../accounts/support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraphWithInbox(inbox);
});
afterAll(() => graph.stop());

const code = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const CODE = code('91330100MA2CY0003');
const OTHER_CODE = code('91330100MA2CY0104');
const NAME = '杭州示例电子商务有限公司';

const SUBMIT = 'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id respondent { id } } }';
const filing = (respondent: Record<string, string>) => ({
  complainant: { name: '李四', phone: '13800138000' },
  respondent,
  industry: 'ECOMMERCE',
  issueType: 'REFUND',
  title: '退货后未退款',
  description: '11月3日退回商品，商家签收后两周仍未退款，客服不再回复。',
  demands: '退还货款 299 元',
  amount: 299,
  occurredOn: '2026-11-01',
});

async function fileAndForward(complainant: string, respondent: Record<string, string>) {
  const filed = await graph.query<{ submitCase: { id: string; respondent: { id: string } } }>(
    SUBMIT,
    { input: filing(respondent) },
    complainant,
  );
  if (!filed.data) throw new Error(JSON.stringify(filed.errors));
  const staff = await graph.tokenFor('staff', 'desk');
  for (const step of ['acceptCase', 'forwardCase']) {
    const done = await graph.query(
      `mutation($id: ID!) { ${step}(input: { id: $id }) { id } }`,
      { id: filed.data.submitCase.id },
      staff,
    );
    if (done.errors) throw new Error(JSON.stringify(done.errors));
  }
  return filed.data.submitCase;
}

async function signInFor(contact: string, enterpriseId: string): Promise<string> {
  const signedIn = await graph.query<{ signIn: { accessToken: string } }>(
    'mutation($c: String!, $e: ID!) { ' +
      'signIn(contact: $c, password: "a long password", enterpriseId: $e) { accessToken } }',
    { c: contact, e: enterpriseId },
  );
  if (!signedIn.data) throw new Error(JSON.stringify(signedIn.errors));
  return signedIn.data.signIn.accessToken;
}

const listed = async (token: string) =>
  (
    await graph.query<{ casesForEnterprise: { edges: Array<{ node: { id: string } }> } }>(
      '{ casesForEnterprise(first: 20) { edges { node { id } } } }',
      undefined,
      token,
    )
  ).data?.casesForEnterprise.edges.map((edge) => edge.node.id) ?? [];

test('the representative approved by credit code sees the complaints filed by the name alone', async () => {
  const complainant = await graph.tokenFor('complainant', 'consumer-1');
  const byName = await fileAndForward(complainant, { name: NAME, storeUrl: 'https://shop.example.com/hz' });
  const byCode = await fileAndForward(complainant, { name: NAME, creditCode: CODE });
  // Before any approval, the two complaints name the enterprise by two different ids.
  expect(byName.respondent.id).not.toBe(byCode.respondent.id);

  const rep = await registerAndVerify(graph, inbox, 'rep-hz@example.org', 'a long password');
  const enterpriseId = await becomeRepresentative(graph, rep, CODE, NAME);
  expect(enterpriseId).toBe(byCode.respondent.id);
  const token = await signInFor('rep-hz@example.org', enterpriseId);

  expect((await listed(token)).sort()).toEqual([byName.id, byCode.id].sort());
  const opened = await graph.query<{ case: { id: string; respondent: { id: string } } }>(
    'query($id: ID!) { case(id: $id) { id respondent { id } } }',
    { id: byName.id },
    token,
  );
  expect(opened.errors).toBeUndefined();
  expect(opened.data?.case.respondent.id).toBe(enterpriseId);

  // A complaint filed by the name alone after the approval (spelled without the legal form) is filed
  // under the credit code's id at once.
  const later = await fileAndForward(complainant, { name: '杭州示例电子商务', address: '杭州市西湖区' });
  expect(later.respondent.id).toBe(enterpriseId);
  expect(await listed(token)).toContain(later.id);
});

test('a representative of another enterprise still sees none of them', async () => {
  const rep = await registerAndVerify(graph, inbox, 'rep-other@example.org', 'a long password');
  const otherId = await becomeRepresentative(graph, rep, OTHER_CODE, '宁波另一家贸易有限公司');
  const token = await signInFor('rep-other@example.org', otherId);
  expect(await listed(token)).toEqual([]);
});
