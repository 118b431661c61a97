import { enterpriseResolver } from '../../../platform/enterprise/aliases.ts';
import { startCasesGraph, type CasesGraph } from './support.ts';

/**
 * Enterprise ids are a hash of the normalised name, so anyone can compute one and ask the cases
 * subgraph for it by reference. Asked directly on its port (bypassing the gateway), it must not
 * reveal a business whose only complaints are unpublished (issue 20.4).
 */
let graph: CasesGraph;
let staff: string;
let complainant: string;
beforeAll(async () => {
  graph = await startCasesGraph(new Date('2026-09-28T02:00:00Z'));
  staff = await graph.token('staff', 'staff-1');
  complainant = await graph.token('complainant', 'user-entities');
});
afterAll(async () => graph.stop());

const ENTITIES = `query($id: ID!) {
  _entities(representations: [{ __typename: "Enterprise", id: $id }]) {
    ... on Enterprise { id name industry caseIndustry }
  }
}`;
const entityFor = async (id: string, token?: string) => {
  const res = await graph.query<{ _entities: unknown[] }>(ENTITIES, { id }, token, graph.casesUrl);
  expect(res.errors).toBeUndefined();
  return res.data?._entities[0] as { id: string; name: string | null; industry: string | null };
};

async function mutate(name: string, inputType: string, input: Record<string, unknown>, token: string) {
  const res = await graph.query(
    `mutation M($input: ${inputType}!) { ${name}(input: $input) { id status } }`,
    { input },
    token,
    graph.casesUrl,
  );
  expect(res.errors).toBeUndefined();
}

function filing(respondent: string) {
  return {
    complainant: { name: '赵敏', phone: '13900139000' },
    respondent: { name: respondent, storeUrl: 'https://shop.example.com/hidden' },
    industry: 'TELECOM',
    issueType: 'BILLING',
    title: '套餐外扣费',
    description: '十月账单多扣了 30 元流量费，客服称系统自动开通。',
    demands: '退还 30 元',
    amount: 30,
    occurredOn: '2026-09-20',
    contactedBusinessOn: '2026-09-21',
    businessOutcome: 'NO_REPLY',
  };
}

test('anonymous _entities on the cases port learns nothing of a business with only a SUBMITTED case', async () => {
  const name = '仅有未公开投诉的通信公司';
  const id = enterpriseResolver().resolve({ name }).id;
  const filed = await graph.query<{ submitCase: { id: string; status: string } }>(
    'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id status } }',
    { input: filing(name) },
    complainant,
    graph.casesUrl,
  );
  expect(filed.data?.submitCase.status).toBe('SUBMITTED');

  const hidden = { id, name: null, industry: null, caseIndustry: null };
  expect(await entityFor(id)).toEqual(hidden);
  expect(await entityFor(id, await graph.token('complainant', 'someone-else'))).toEqual(hidden);
  expect(await entityFor(id, await graph.token('enterprise', 'rep-2', 'ent1_another'))).toEqual(hidden);
  // Those who may see its cases still do.
  expect(await entityFor(id, staff)).toMatchObject({ name, industry: 'TELECOM' });
  expect(await entityFor(id, await graph.token('enterprise', 'rep-1', id))).toMatchObject({ name });
});

test('once a case against it is published, anyone sees the name and industry that publication shows', async () => {
  const name = '已公开投诉的通信公司';
  const id = enterpriseResolver().resolve({ name }).id;
  const filed = await graph.query<{ submitCase: { id: string } }>(
    'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }',
    { input: filing(name) },
    complainant,
    graph.casesUrl,
  );
  const caseId = filed.data?.submitCase.id as string;
  expect(await entityFor(id)).toMatchObject({ name: null });
  await mutate('acceptCase', 'CaseStepInput', { id: caseId }, staff);
  await mutate('forwardCase', 'CaseStepInput', { id: caseId }, staff);
  const rep = await graph.token('enterprise', 'rep-1', id);
  await mutate('respondToCase', 'RespondToCaseInput', { id: caseId, reply: '已退还 30 元。' }, rep);
  await mutate('confirmResolution', 'ConfirmResolutionInput', { id: caseId, satisfaction: 4 }, complainant);
  await mutate('closeCase', 'CaseReasonInput', { id: caseId, reason: '已解决' }, staff);
  expect(await entityFor(id)).toMatchObject({ name: null }); // closed is not published
  await mutate('publishCase', 'CaseStepInput', { id: caseId }, staff);
  expect(await entityFor(id)).toEqual({ id, name, industry: 'TELECOM', caseIndustry: 'TELECOM' });
});
