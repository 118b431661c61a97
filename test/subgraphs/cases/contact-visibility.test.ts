/**
 * A representative reads the complainant's contact details only once the case is forwarded to their
 * enterprise (issue 15, "Authorisation in one place"): the state rule in the cases slice's
 * ownership, enforced by the policy table around `Case.complainant`; and the contact never reaches
 * the logs, the published result or an export.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { request } from 'undici';
import { Role, type Actor } from '../../../platform/context.ts';
import { isCaseParty, mayReadContact } from '../../../subgraphs/cases/commands.ts';
import { CaseAction, applyAction } from '../../../subgraphs/cases/domain/lifecycle.ts';
import type { CaseRecord } from '../../../subgraphs/cases/domain/model.ts';
import { issueToken } from '../../../platform/auth.ts';
import { startGraph, type TestGraph } from '../../support/graph.ts';
import { complainant, enterpriseActor, filedCase, otherComplainant, policy, staff } from './fixtures.ts';

describe('the contact rule, case state by case state', () => {
  const filed = filedCase();
  const accepted = applyAction(filed, { action: CaseAction.Accept }, staff, new Date('2026-11-20T03:00:00Z'), policy);
  const forwarded = applyAction(
    accepted.record,
    { action: CaseAction.Forward },
    staff,
    new Date('2026-11-20T04:00:00Z'),
    policy,
  );
  const repOfRespondent = enterpriseActor(filed);
  const repOfAnother: Actor = { id: 'rep-2', role: Role.Enterprise, enterpriseId: 'ent1_0000000000000000000a' };

  test.each([
    ['filed', filed],
    ['accepted', accepted.record],
  ] as Array<[string, CaseRecord]>)('%s, not yet forwarded: the representative may not read it', (_, record) => {
    expect(mayReadContact(record, repOfRespondent)).toBe(false);
    expect(isCaseParty(record, repOfRespondent)).toBe(false);
  });

  test('forwarded: the respondent’s representative may, another enterprise’s may not', () => {
    expect(mayReadContact(forwarded.record, repOfRespondent)).toBe(true);
    expect(mayReadContact(forwarded.record, repOfAnother)).toBe(false);
    expect(mayReadContact(forwarded.record, { ...repOfRespondent, enterpriseId: undefined })).toBe(false);
  });

  test('the complainant and staff always may; another complainant, an admin and nobody never', () => {
    for (const record of [filed, forwarded.record]) {
      expect(mayReadContact(record, complainant)).toBe(true);
      expect(mayReadContact(record, staff)).toBe(true);
      expect(mayReadContact(record, otherComplainant)).toBe(false);
      expect(mayReadContact(record, { id: 'admin-1', role: Role.Admin })).toBe(false);
      expect(mayReadContact(record, null)).toBe(false);
    }
  });
});

describe('through the graph', () => {
  const CONTACT = {
    name: '欧阳明远',
    phone: '13912345678',
    email: 'ouyang.mingyuan@example.net',
    address: '杭州市西湖区某路9号',
  };
  const logLines: string[] = [];
  let graph: TestGraph;
  let caseId: string;
  let enterpriseId: string;
  const tokens: Record<string, string> = {};

  const CASE = `query($id: ID!) { case(id: $id) { id status complainant { name phone email address } } }`;
  const ENTITIES =
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id complainant { phone } } } }';

  async function step(name: string, input: Record<string, unknown>, type: string, token: string) {
    const answer = await graph.query(`mutation($input: ${type}!) { ${name}(input: $input) { id } }`, { input }, token);
    expect(answer.errors).toBeUndefined();
  }

  beforeAll(async () => {
    // Every part logs at the most verbose level into memory, to be searched for the contact.
    const logger = pino(
      { level: 'trace' },
      new Writable({ write: (chunk, _, done) => done(void logLines.push(String(chunk))) }),
    );
    graph = await startGraph({ logger });
    const sign = (id: string, role: Actor['role'], enterprise?: string) =>
      issueToken(graph.config.AUTH_SECRET, { id, role, ...(enterprise ? { enterpriseId: enterprise } : {}) });
    tokens.complainant = await sign('contact-complainant', Role.Complainant);
    tokens.staff = await sign('contact-staff', Role.Staff);
    const filed = await graph.query<{ submitCase: { id: string; respondent: { id: string } } }>(
      'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id respondent { id } } }',
      {
        input: {
          complainant: CONTACT,
          respondent: { name: '联系方式测试电器有限公司', storeUrl: 'https://shop.example.com/contact-test' },
          industry: 'ECOMMERCE',
          issueType: 'REFUND',
          title: '退货后未退款',
          description: '十一月三日退回商品，商家签收后两周仍未退款，客服不再回复。',
          demands: '退还货款 499 元',
          amount: 499,
          occurredOn: '2026-11-01',
        },
      },
      tokens.complainant,
    );
    expect(filed.errors).toBeUndefined();
    caseId = filed.data!.submitCase.id;
    enterpriseId = filed.data!.submitCase.respondent.id;
    tokens.repX = await sign('contact-rep-x', Role.Enterprise, enterpriseId);
    tokens.repY = await sign('contact-rep-y', Role.Enterprise, 'ent1_0000000000000000000a');
  });
  afterAll(() => graph.stop());

  const codes = (answer: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
    (answer.errors ?? []).map((error) => error.extensions?.code);

  test('before forwarding, the respondent’s representative gets null and NOT_FOUND, at gateway and port', async () => {
    await step('acceptCase', { id: caseId }, 'CaseStepInput', tokens.staff);
    for (const url of [graph.gatewayUrl, graph.urls.cases]) {
      const answer = await graph.query(CASE, { id: caseId }, tokens.repX, url);
      expect([url, answer.data, codes(answer)]).toEqual([url, { case: null }, ['NOT_FOUND']]);
    }
    const entities = await graph.query(
      ENTITIES,
      { r: [{ __typename: 'Case', id: caseId }] },
      tokens.repX,
      graph.urls.cases,
    );
    expect(entities.data).toEqual({ _entities: [null] });
    expect(JSON.stringify(entities)).not.toContain(CONTACT.phone);
  });

  test('once forwarded, the respondent’s representative reads it, another enterprise’s does not', async () => {
    await step('forwardCase', { id: caseId }, 'CaseStepInput', tokens.staff);
    for (const url of [graph.gatewayUrl, graph.urls.cases]) {
      const mine = await graph.query<{ case: { complainant: unknown } }>(CASE, { id: caseId }, tokens.repX, url);
      expect([url, mine.errors]).toEqual([url, undefined]);
      expect(mine.data?.case.complainant).toEqual(CONTACT);
      const theirs = await graph.query(CASE, { id: caseId }, tokens.repY, url);
      expect([url, theirs.data, codes(theirs)]).toEqual([url, { case: null }, ['NOT_FOUND']]);
    }
    const entities = await graph.query(
      ENTITIES,
      { r: [{ __typename: 'Case', id: caseId }] },
      tokens.repX,
      graph.urls.cases,
    );
    expect(entities.data).toEqual({ _entities: [{ id: caseId, complainant: { phone: CONTACT.phone } }] });
  });

  test('the contact is in no log line, no published result and no export', async () => {
    await step('respondToCase', { id: caseId, reply: '已退款，请查收。' }, 'RespondToCaseInput', tokens.repX);
    await step('confirmResolution', { id: caseId, satisfaction: 5 }, 'ConfirmResolutionInput', tokens.complainant);
    await step('closeCase', { id: caseId, reason: '已解决' }, 'CaseReasonInput', tokens.staff);
    await step('publishCase', { id: caseId }, 'CaseStepInput', tokens.staff);
    const published = await graph.query<{ publishedCases: { edges: Array<{ node: { id: string } }> } }>(
      `{ publishedCases(first: 100) { edges { node { id reference respondentName title facts enterpriseReply
          complainantName } } } }`,
    );
    expect(published.data?.publishedCases.edges.map((edge) => edge.node.id)).toContain(caseId);
    const origin = new URL(graph.gatewayUrl).origin;
    const csv = await request(`${origin}/export/rankings.csv?industry=ECOMMERCE&minComplaints=0`);
    expect(csv.statusCode).toBe(200);
    const exported = await csv.body.text();
    expect(logLines.length).toBeGreaterThan(10);
    const outputs = { logs: logLines.join('\n'), published: JSON.stringify(published), exported };
    for (const [where, text] of Object.entries(outputs)) {
      for (const value of Object.values(CONTACT)) expect([where, text.includes(value)]).toEqual([where, false]);
    }
  });
});
