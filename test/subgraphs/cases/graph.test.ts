import type { GraphQLResponse } from '../../support/graph.ts';
import { startCasesGraph, type CasesGraph } from './support.ts';

const SUBMIT = /* GraphQL */ `
  mutation Submit($input: SubmitCaseInput!) {
    submitCase(input: $input) {
      id reference status version deadlines { acceptBy respondBy } overdue respondent { id name } allowedActions
    }
  }`;

const CASE = /* GraphQL */ `
  query Case($id: ID!) {
    case(id: $id) {
      id reference status version allowedActions overdue
      deadlines { acceptBy respondBy appealBy }
      respondent { id name }
      complainant { name phone email }
      timeline { sequence type actorRole fromStatus toStatus note }
    }
  }`;

/** What SUBMIT asks of the new case. */
interface SubmittedCase {
  id: string;
  reference: string;
  status: string;
  version: number;
  deadlines: { acceptBy: string | null; respondBy: string | null };
  overdue: boolean;
  respondent: { id: string; name: string };
  allowedActions: string[];
}

/** What CASE asks of a case. */
interface CaseView {
  reference: string;
  status: string;
  version: number;
  allowedActions: string[];
  overdue: boolean;
  deadlines: { acceptBy: string | null; respondBy: string | null; appealBy: string | null };
  complainant: { name: string } | null;
  timeline: Array<{ type: string; actorRole: string; fromStatus: string | null; toStatus: string | null }>;
}

/** A page of cases with the fields the test's query asks for in each node. */
type Page<Node> = { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

function filing(name = '张三丰', overrides: Record<string, unknown> = {}) {
  return {
    complainant: { name, phone: '13800138000', email: 'zhang@example.com', address: '上海市浦东新区某路8号' },
    respondent: { name: '示例电器旗舰店', platform: '示例商城', storeUrl: 'https://mall.example.com/shop/88' },
    industry: 'ECOMMERCE',
    issueType: 'REFUND',
    title: '退货后迟迟不退款',
    description:
      '九月中旬退回了一台电饭煲，商家签收后一直不退款，客服电话 13800138000 打不通，邮件 zhang@example.com 也没有回复。',
    demands: '退还货款 399 元',
    amount: 399,
    occurredOn: '2026-09-15',
    contactedBusinessOn: '2026-09-18',
    businessOutcome: 'NO_REPLY',
    ...overrides,
  };
}

let graph: CasesGraph;
let complainant: string;
let stranger: string;
let staff: string;

beforeAll(async () => {
  graph = await startCasesGraph(new Date('2026-09-28T02:00:00Z'));
  complainant = await graph.token('complainant', 'user-zhang');
  stranger = await graph.token('complainant', 'user-li');
  staff = await graph.token('staff', 'staff-1');
});

afterAll(async () => {
  await graph.stop();
});

async function submit(token = complainant, input: Record<string, unknown> = filing()) {
  const res = await graph.query(SUBMIT, { input }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.submitCase;
}

async function mutate(name: string, input: Record<string, unknown>, token: string, url?: string) {
  const inputType: Record<string, string> = {
    acceptCase: 'CaseStepInput',
    forwardCase: 'CaseStepInput',
    publishCase: 'CaseStepInput',
    rejectCase: 'CaseReasonInput',
    withdrawCase: 'CaseReasonInput',
    reportUnsatisfied: 'CaseReasonInput',
    appealCase: 'CaseReasonInput',
    closeCase: 'CaseReasonInput',
    respondToCase: 'RespondToCaseInput',
    confirmResolution: 'ConfirmResolutionInput',
    editCase: 'EditCaseInput',
  };
  return graph.query<Record<string, { id: string; status: string; version: number }>>(
    `mutation M($input: ${inputType[name]}!) { ${name}(input: $input) { id status version } }`,
    { input },
    token,
    url,
  );
}

async function ok(name: string, input: Record<string, unknown>, token: string) {
  const res = await mutate(name, input, token);
  expect(res.errors).toBeUndefined();
  return res.data![name];
}

async function enterpriseToken(enterpriseId: string) {
  return graph.token('enterprise', 'rep-1', enterpriseId);
}

describe('a case’s whole life through the gateway', () => {
  test('filed on 2026-09-28, acceptance is due on the adjusted working Saturday 2026-10-10', async () => {
    const res = await graph.query<{ submitCase: SubmittedCase }>(SUBMIT, { input: filing() }, complainant);
    expect(res.errors).toBeUndefined();
    expect(res.data?.submitCase).toMatchObject({
      status: 'SUBMITTED',
      version: 1,
      deadlines: { acceptBy: '2026-10-10', respondBy: null },
      overdue: false,
    });
    expect(res.data?.submitCase.reference).toMatch(/^WQ-20260928-\d{6}$/);
    expect(res.data?.submitCase.allowedActions).toEqual(expect.arrayContaining(['EDIT', 'WITHDRAW', 'ADD_EVIDENCE']));
  });

  test('accepted, forwarded, responded, resolved, closed and published', async () => {
    const c = await submit();
    await ok('acceptCase', { id: c.id }, staff);
    expect(await ok('forwardCase', { id: c.id }, staff)).toMatchObject({ status: 'FORWARDED' });
    const rep = await enterpriseToken(c.respondent.id);
    await ok('respondToCase', { id: c.id, reply: '已为您办理退款，请留意账户。' }, rep);
    expect(await ok('confirmResolution', { id: c.id, satisfaction: 4 }, complainant)).toMatchObject({
      status: 'RESOLVED',
    });
    await ok('closeCase', { id: c.id, reason: '消费者确认已解决' }, staff);
    await ok('publishCase', { id: c.id }, staff);
    const res = await graph.query<{ case: CaseView }>(CASE, { id: c.id }, complainant);
    expect(res.data?.case.timeline.map((e) => e.type)).toEqual([
      'SUBMITTED',
      'ACCEPTED',
      'FORWARDED',
      'RESPONDED',
      'RESOLUTION_CONFIRMED',
      'CLOSED',
      'PUBLISHED',
    ]);
    expect(res.data?.case.timeline[3]).toMatchObject({
      actorRole: 'ENTERPRISE',
      fromStatus: 'FORWARDED',
      toStatus: 'RESPONDED',
    });
    const outbox = await graph.stores.repo.outboxFor(c.id);
    expect(outbox.filter((r) => r.recipient.address === 'zhang@example.com').map((r) => r.event)).toEqual(
      expect.arrayContaining(['SUBMITTED', 'ACCEPTED', 'FORWARDED', 'RESPONDED', 'CLOSED', 'PUBLISHED']),
    );
  });

  test('rejected, then appealed back to staff', async () => {
    const c = await submit();
    await ok('rejectCase', { id: c.id, reason: '缺少购买凭证' }, staff);
    const appealed = await ok('appealCase', { id: c.id, reason: '已补充订单截图' }, complainant);
    expect(appealed.status).toBe('APPEALED');
    const res = await graph.query<{ case: CaseView }>(CASE, { id: c.id }, staff);
    expect(res.data?.case.allowedActions).toEqual(expect.arrayContaining(['ACCEPT', 'REJECT', 'CLOSE']));
  });

  test('unresolved, then appealed', async () => {
    const c = await submit();
    await ok('acceptCase', { id: c.id }, staff);
    await ok('forwardCase', { id: c.id }, staff);
    await ok('respondToCase', { id: c.id, reply: '商品已拆封，不予退款。' }, await enterpriseToken(c.respondent.id));
    expect(await ok('reportUnsatisfied', { id: c.id, reason: '七天无理由退货' }, complainant)).toMatchObject({
      status: 'UNRESOLVED',
    });
    expect(await ok('appealCase', { id: c.id, reason: '请平台介入' }, complainant)).toMatchObject({
      status: 'APPEALED',
    });
  });

  test('withdrawn with a reason', async () => {
    const c = await submit();
    expect(await ok('withdrawCase', { id: c.id, reason: '已与商家和解' }, complainant)).toMatchObject({
      status: 'WITHDRAWN',
    });
    const res = await mutate('withdrawCase', { id: c.id, reason: '再次撤回' }, complainant);
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      currentStatus: 'WITHDRAWN',
      allowedActions: [],
    });
  });

  test('each step not allowed on a submitted case is a CONFLICT with its status and the allowed actions', async () => {
    const c = await submit();
    const attempts: Array<[string, Record<string, unknown>, string]> = [
      ['forwardCase', { id: c.id }, staff],
      ['publishCase', { id: c.id }, staff],
      ['closeCase', { id: c.id, reason: '结案' }, staff],
      ['confirmResolution', { id: c.id }, complainant],
      ['reportUnsatisfied', { id: c.id, reason: '不满意' }, complainant],
      ['appealCase', { id: c.id, reason: '申诉' }, complainant],
    ];
    for (const [name, input, token] of attempts) {
      const res = await mutate(name, input, token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'SUBMITTED' });
      const allowed = res.errors?.[0].extensions?.allowedActions as string[];
      expect(allowed).toEqual(
        token === staff
          ? ['ACCEPT', 'REJECT', 'ADD_EVIDENCE']
          : ['EDIT', 'WITHDRAW', 'ADD_EVIDENCE', 'RECORD_ESCALATION'],
      );
    }
    const after = await graph.query<{ case: CaseView }>(CASE, { id: c.id }, staff);
    expect(after.data?.case).toMatchObject({ status: 'SUBMITTED', version: 1 });
  });

  test('rejecting without a reason is BAD_USER_INPUT at input.reason', async () => {
    const c = await submit();
    const res = await mutate('rejectCase', { id: c.id, reason: ' ' }, staff);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'input.reason' });
  });

  test('a filing with an invalid phone is refused at input.complainant.phone', async () => {
    const input = filing('王五', { complainant: { name: '王五', phone: '12345' } });
    const res = await graph.query<{ submitCase: SubmittedCase }>(SUBMIT, { input }, complainant);
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'input.complainant.phone',
    });
  });
});

describe('retrying a filing (idempotency keys)', () => {
  const MY_CASES = 'query { myCases(first: 10) { edges { node { id reference } } } }';

  test('the same submitCase sent twice with one idempotency key files one case, which both answers name', async () => {
    const retrier = await graph.token('complainant', 'user-retry');
    const input = { ...filing('王五'), idempotencyKey: '3f2b8c1e-9a4d-4c51-b0e2-7d6a1f0c9e11' };
    const first = await submit(retrier, input);
    const second = await submit(retrier, input);
    expect(second).toEqual(first);
    const mine = await graph.query(MY_CASES, {}, retrier);
    expect(mine.data.myCases.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([first.id]);
  });

  test('the same key with another input is a CONFLICT naming the key, and files nothing', async () => {
    const reuser = await graph.token('complainant', 'user-reuse');
    await submit(reuser, { ...filing('赵六'), idempotencyKey: 'reused-key' });
    const res = await graph.query(
      SUBMIT,
      { input: { ...filing('赵六', { amount: 1 }), idempotencyKey: 'reused-key' } },
      reuser,
    );
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
      idempotencyKey: 'reused-key',
    });
    expect((await graph.query(MY_CASES, {}, reuser)).data.myCases.edges).toHaveLength(1);
  });
});

describe('edits', () => {
  test('two concurrent edits from one version: one wins, the other gets CONFLICT, revisions never mixed', async () => {
    const c = await submit();
    const [a, b] = await Promise.all([
      mutate('editCase', { id: c.id, expectedVersion: 1, amount: 100 }, complainant),
      mutate('editCase', { id: c.id, expectedVersion: 1, amount: 200 }, complainant),
    ]);
    const results = [a, b];
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const loser = results.find((r) => r.errors)!;
    expect(loser.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    type Revised = { version: number; amount: number; revisions: Array<{ changes: unknown[] }> };
    const res = await graph.query<{ case: Revised }>(
      `query($id: ID!) { case(id: $id) { version amount revisions { version changes { field before after } } } }`,
      { id: c.id },
      complainant,
    );
    expect(res.data?.case.version).toBe(2);
    expect(res.data?.case.revisions).toHaveLength(2);
    expect(res.data?.case.revisions[1].changes).toEqual([
      { field: 'amount', before: '399', after: String(res.data?.case.amount) },
    ]);
  });

  test('editing after forwarding is a CONFLICT', async () => {
    const c = await submit();
    await ok('acceptCase', { id: c.id }, staff);
    const forwarded = await ok('forwardCase', { id: c.id }, staff);
    const res = await mutate(
      'editCase',
      { id: c.id, expectedVersion: forwarded.version, title: '新的标题内容' },
      complainant,
    );
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'FORWARDED' });
  });
});

describe('who sees what', () => {
  let forwardedId: string;
  let enterpriseId: string;

  beforeAll(async () => {
    const c = await submit();
    await ok('acceptCase', { id: c.id }, staff);
    await ok('forwardCase', { id: c.id }, staff);
    forwardedId = c.id;
    enterpriseId = c.respondent.id;
  });

  for (const via of ['gateway', 'cases subgraph directly'] as const) {
    const url = () => (via === 'gateway' ? graph.gatewayUrl : graph.casesUrl);

    test(`(${via}) the representative sees the forwarded case and the contact, not the revisions`, async () => {
      const rep = await enterpriseToken(enterpriseId);
      const res = await graph.query(CASE, { id: forwardedId }, rep, url());
      expect(res.errors).toBeUndefined();
      expect(res.data.case.reference).toMatch(/^WQ-/);
      expect(res.data.case.complainant).toEqual({ name: '张三丰', phone: '13800138000', email: 'zhang@example.com' });
      const revisions = await graph.query(
        `query($id: ID!) { case(id: $id) { revisions { version } } }`,
        {
          id: forwardedId,
        },
        rep,
        url(),
      );
      expect(revisions.data.case.revisions).toBeNull();
      expect(revisions.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
        ['case.revisions', 'FORBIDDEN'],
      ]);
    });

    test(`(${via}) another complainant is told the case does not exist`, async () => {
      const res = await graph.query<{ case: CaseView }>(CASE, { id: forwardedId }, stranger, url());
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    test(`(${via}) an anonymous caller gets UNAUTHENTICATED for a case and may not change one`, async () => {
      expect(
        (await graph.query<{ case: CaseView }>(CASE, { id: forwardedId }, undefined, url())).errors?.[0].extensions
          ?.code,
      ).toBe('UNAUTHENTICATED');
      expect((await mutate('acceptCase', { id: forwardedId }, '', url())).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    });

    test(`(${via}) a complainant cannot accept their own case, nor list the staff queue`, async () => {
      expect(
        (await mutate('rejectCase', { id: forwardedId, reason: 'x' }, complainant, url())).errors?.[0].extensions?.code,
      ).toBe('FORBIDDEN');
      expect(
        (await graph.query('{ casesQueue { edges { cursor } } }', {}, complainant, url())).errors?.[0].extensions?.code,
      ).toBe('FORBIDDEN');
    });

    test(`(${via}) Enterprise.cases is for staff and that enterprise only`, async () => {
      const q = `query($id: ID!) { casesForEnterprise(enterpriseId: $id) { edges { node { id } } } }`;
      const own = await graph.query<{ casesForEnterprise: Page<{ id: string }> }>(
        q,
        { id: enterpriseId },
        await enterpriseToken(enterpriseId),
        url(),
      );
      expect(own.data?.casesForEnterprise.edges.map((e) => e.node.id)).toContain(forwardedId);
      const other = await graph.query(
        q,
        { id: enterpriseId },
        await enterpriseToken('ent1_0000000000000000000a'),
        url(),
      );
      expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  }

  test('Enterprise.cases from the public feed: staff see all, its representative forwarded, others none', async () => {
    const c = await submit();
    await ok('rejectCase', { id: c.id, reason: '不属于受理范围' }, staff);
    await ok('closeCase', { id: c.id, reason: '驳回后未申诉' }, staff);
    await ok('publishCase', { id: c.id }, staff);
    // 40 × 100 nested stays under GRAPHQL_MAX_COST (10,000); 100 × 100 is the nesting it refuses.
    const q =
      `{ publishedCases(first: 40) { edges { node { id respondent { id cases(first: 100) ` +
      `{ edges { node { id } } } } } } } }`;
    const rep = await enterpriseToken(c.respondent.id);
    for (const url of [graph.gatewayUrl, graph.casesUrl]) {
      const casesSeen = async (token?: string) => {
        type Published = { id: string; respondent: { cases: Page<{ id: string }> | null } };
        const res = await graph.query<{ publishedCases: Page<Published> }>(q, {}, token, url);
        const node = res.data?.publishedCases.edges.find((e) => e.node.id === c.id)?.node;
        return {
          ids: node?.respondent.cases?.edges.map((e) => e.node.id) ?? null,
          codes: [...new Set((res.errors ?? []).map((e) => e.extensions?.code))],
        };
      };
      const asStaff = await casesSeen(staff);
      expect([url, asStaff.codes]).toEqual([url, []]);
      expect(asStaff.ids).toEqual(expect.arrayContaining([c.id, forwardedId]));
      const asRep = await casesSeen(rep);
      expect(asRep.ids).toContain(forwardedId);
      expect(asRep.ids).not.toContain(c.id);
      expect(await casesSeen(complainant)).toEqual({ ids: null, codes: ['FORBIDDEN'] });
      expect(await casesSeen()).toEqual({ ids: null, codes: ['UNAUTHENTICATED'] });
    }
  });

  test('(cases subgraph directly) _entities answers a Case only to those who may see it', async () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { id description } } }`;
    const entities = async (token?: string) => {
      const representations = [{ __typename: 'Case', id: forwardedId }];
      const res = await graph.query<{ _entities: unknown[] }>(q, { r: representations }, token, graph.casesUrl);
      return res.data?._entities;
    };
    expect(await entities()).toEqual([null]);
    expect(await entities(stranger)).toEqual([null]);
    expect(await entities(await enterpriseToken('ent1_0000000000000000000a'))).toEqual([null]);
    expect(await entities(complainant)).toEqual([{ id: forwardedId, description: expect.any(String) }]);
    expect(await entities(await enterpriseToken(enterpriseId))).toEqual([
      { id: forwardedId, description: expect.any(String) },
    ]);
  });

  test('staff page through the queue by status, soonest deadline first', async () => {
    const q = `query($after: String) { casesQueue(statuses: [FORWARDED], first: 2, after: $after) {
      edges { node { id status deadlines { respondBy } } } pageInfo { hasNextPage endCursor } } }`;
    type QueueNode = { id: string; status: string; deadlines: { respondBy: string } };
    type QueuePage = {
      casesQueue: { edges: Array<{ node: QueueNode }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const seen: QueueNode[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: GraphQLResponse<QueuePage> = await graph.query<QueuePage>(q, { after }, staff);
      expect(res.errors).toBeUndefined();
      const page = res.data?.casesQueue;
      if (!page) throw new Error('casesQueue answered without data');
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.map((n) => n.id)).toContain(forwardedId);
    expect(seen.every((n) => n.status === 'FORWARDED')).toBe(true);
    const deadlines = seen.map((n) => n.deadlines.respondBy);
    expect(deadlines).toEqual([...deadlines].sort());
  });

  test('a malformed cursor or publishedSince is BAD_USER_INPUT naming the argument', async () => {
    const cursor = await graph.query('{ casesQueue(after: "nope") { edges { cursor } } }', {}, staff);
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'after' });
    const since = await graph.query('{ publishedCases(publishedSince: "yesterday") { edges { cursor } } }');
    expect(since.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'publishedSince' });
  });

  test('a representative only sees cases once they are forwarded to the enterprise', async () => {
    const c = await submit();
    const res = await graph.query<{ case: CaseView }>(CASE, { id: c.id }, await enterpriseToken(c.respondent.id));
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('publication', () => {
  test('published output is public and carries nothing personal', async () => {
    const name = '欧阳娜娜';
    const c = await submit(
      complainant,
      filing(name, {
        complainant: { name, phone: '13912345678', email: 'ouyang@example.org', address: '广州市天河区体育西路100号' },
        description: `我是${name}（客服称我娜娜），手机13912345678，邮箱ouyang@example.org，住广州市天河区体育西路100号（快递也可寄体育西路100号门卫），商家拒不退款。`,
      }),
    );
    await ok('rejectCase', { id: c.id, reason: '证据不足' }, staff);
    await ok('closeCase', { id: c.id, reason: '申诉期满' }, staff);
    const before = await graph.query<{ publishedCases: Page<{ id: string }> }>(
      '{ publishedCases { edges { node { id } } } }',
    );
    expect(before.data?.publishedCases.edges.map((e) => e.node.id)).not.toContain(c.id);
    await ok('publishCase', { id: c.id }, staff);
    const res = await graph.query<{
      publishedCases: Page<{ id: string }>;
    }>(`{ publishedCases(first: 100) { edges { cursor node {
      id reference respondentName respondentCreditCode industry issueType title facts enterpriseReply outcome amount
      submittedAt respondedAt closedAt publishedAt complainantName satisfaction respondent { id name } } }
      pageInfo { hasNextPage endCursor } } }`);
    expect(res.errors).toBeUndefined();
    const node = res.data?.publishedCases.edges.find((e) => e.node.id === c.id)?.node;
    expect(node).toMatchObject({ complainantName: '欧**', outcome: 'REJECTED', respondent: { id: c.respondent.id } });
    const text = JSON.stringify(res.data);
    for (const secret of [name, '娜娜', '13912345678', 'ouyang@example.org', '体育西路', 'user-zhang'])
      expect(text).not.toContain(secret);
  });

  test('publishing is for staff only, and only for closed cases', async () => {
    const c = await submit();
    expect((await mutate('publishCase', { id: c.id }, complainant)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await mutate('publishCase', { id: c.id }, staff)).errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      currentStatus: 'SUBMITTED',
    });
  });
});

describe('deadlines and the clock', () => {
  test('a submitted case is overdue after its acceptance day, and an appeal after the period is refused', async () => {
    graph.clock.now = new Date('2026-09-28T02:00:00Z');
    const c = await submit();
    graph.clock.now = new Date('2026-10-10T15:00:00Z');
    expect((await graph.query<{ case: CaseView }>(CASE, { id: c.id }, staff)).data?.case.overdue).toBe(false);
    graph.clock.now = new Date('2026-10-10T16:00:00Z');
    expect((await graph.query<{ case: CaseView }>(CASE, { id: c.id }, staff)).data?.case.overdue).toBe(true);
    await ok('rejectCase', { id: c.id, reason: '超出受理范围' }, staff);
    const rejected = await graph.query<{ case: CaseView }>(CASE, { id: c.id }, complainant);
    expect(rejected.data?.case.deadlines.appealBy).toBe('2026-10-26');
    graph.clock.now = new Date('2026-10-27T02:00:00Z');
    const late = await mutate('appealCase', { id: c.id, reason: '补充材料' }, complainant);
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'REJECTED' });
    graph.clock.now = new Date('2026-09-28T02:00:00Z');
  });

  test('forwarding sets the reply deadline ten working days later', async () => {
    graph.clock.now = new Date('2026-11-02T02:00:00Z');
    const c = await submit();
    await ok('acceptCase', { id: c.id }, staff);
    await ok('forwardCase', { id: c.id }, staff);
    const res = await graph.query<{ case: CaseView }>(CASE, { id: c.id }, staff);
    expect(res.data?.case.deadlines.respondBy).toBe('2026-11-16');
    graph.clock.now = new Date('2026-09-28T02:00:00Z');
  });
});

describe('evidence and the other subgraphs', () => {
  /** Uploads a text file to the cases subgraph's POST /evidence as `token`; returns its id. */
  async function uploadText(token: string, filename: string, body: string): Promise<string> {
    const upload = await fetch(`${graph.casesUrl.replace(/\/graphql$/, '')}/evidence`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'x-filename': encodeURIComponent(filename),
        authorization: `Bearer ${token}`,
      },
      body,
    });
    expect(upload.status).toBe(201);
    return ((await upload.json()) as { id: string }).id;
  }

  test('an uploaded file is attached with addEvidence and listed on the case', async () => {
    const c = await submit();
    const id = await uploadText(complainant, '聊天记录.txt', '客服：请耐心等待退款。');
    const res = await graph.query(
      `mutation($input: AddEvidenceInput!) {
        addEvidence(input: $input) { evidence { id name mediaType size } timeline { type } }
      }`,
      { input: { id: c.id, evidenceIds: [id] } },
      complainant,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.addEvidence.evidence).toEqual([
      { id, name: '聊天记录.txt', mediaType: 'text/plain', size: Buffer.byteLength('客服：请耐心等待退款。') },
    ]);
    expect(res.data?.addEvidence.timeline.map((e: { type: string }) => e.type)).toEqual([
      'SUBMITTED',
      'EVIDENCE_ADDED',
    ]);
    const foreign = await graph.query(
      `mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { id } }`,
      { input: { id: c.id, evidenceIds: [id] } },
      stranger,
    );
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('a file staff attach is readable by its complainant and, once forwarded, respondent; no one else', async () => {
    const c = await submit();
    const casesBase = graph.casesUrl.replace(/\/graphql$/, '');
    const bases = { gateway: graph.gatewayUrl.replace(/\/graphql$/, ''), subgraph: casesBase };
    const body = '工作人员核实记录：商家已签收退货。';
    const id = await uploadText(staff, '核实记录.txt', body);
    const attached = await graph.query(
      `mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id } } }`,
      { input: { id: c.id, evidenceIds: [id] } },
      staff,
    );
    expect(attached.errors).toBeUndefined();
    const rep = await enterpriseToken(c.respondent.id);
    const otherRep = await graph.token('enterprise', 'rep-9', 'ent-someone-else');
    const status = async (base: string, token: string) =>
      (await fetch(`${base}/evidence/${id}`, { headers: { authorization: `Bearer ${token}` } })).status;
    for (const [via, base] of Object.entries(bases)) {
      const download = await fetch(`${base}/evidence/${id}`, { headers: { authorization: `Bearer ${complainant}` } });
      expect([via, download.status]).toEqual([via, 200]);
      expect(await download.text()).toBe(body);
      expect([via, await status(base, stranger)]).toEqual([via, 403]);
      expect([via, await status(base, rep)]).toEqual([via, 403]);
    }
    await ok('acceptCase', { id: c.id }, staff);
    await ok('forwardCase', { id: c.id }, staff);
    for (const [via, base] of Object.entries(bases)) {
      expect([via, await status(base, rep)]).toEqual([via, 200]);
      expect([via, await status(base, otherRep)]).toEqual([via, 403]);
      expect([via, (await fetch(`${base}/evidence/${id}`)).status]).toEqual([via, 401]);
    }
  });

  test('staff cannot attach one complainant’s upload to another’s case, so it is never readable there', async () => {
    const c = await submit();
    const casesBase = graph.casesUrl.replace(/\/graphql$/, '');
    const id = await uploadText(stranger, '私人记录.txt', '另一位投诉人的私人记录');
    const attached = await graph.query(
      `mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { id } }`,
      { input: { id: c.id, evidenceIds: [id] } },
      staff,
    );
    expect(attached.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      (await fetch(`${casesBase}/evidence/${id}`, { headers: { authorization: `Bearer ${complainant}` } })).status,
    ).toBe(403);
  });

  test('one query reaches three subgraphs: case deadlines, respondent reputation and escalation channels', async () => {
    const c = await submit();
    type Composed = { respondent: { reputation: unknown }; escalationOptions: unknown[] };
    const res = await graph.query<{ case: Composed }>(
      `query($id: ID!) { case(id: $id) { reference status deadlines { acceptBy respondBy } overdue
          respondent { id name reputation(window: LAST_90_DAYS) {
            complaints completionRate wilsonScore rank { position outOf } } }
          escalationOptions { channel { id name { zhCN en } } eligibility eligibleFrom } } }`,
      { id: c.id },
      complainant,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.case).toMatchObject({
      reference: c.reference,
      status: 'SUBMITTED',
      respondent: { id: c.respondent.id, name: '示例电器旗舰店' },
    });
    expect(res.data?.case.respondent.reputation).toEqual(expect.objectContaining({ complaints: expect.any(Number) }));
    expect(res.data?.case.escalationOptions.length).toBeGreaterThan(0);
  });

  test('an escalation to 12315 shows up as Case.escalatedTo, resolved by the directory', async () => {
    const c = await submit();
    const res = await graph.query(
      `mutation($input: RecordEscalationInput!) {
        recordEscalation(input: $input) { escalatedTo { id name { zhCN } } timeline { type note } }
      }`,
      { input: { id: c.id, channelId: '12315', note: '受理编号 A-1' } },
      complainant,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordEscalation.escalatedTo).toEqual([{ id: '12315', name: { zhCN: expect.any(String) } }]);
    expect(res.data?.recordEscalation.timeline.at(-1)).toEqual({ type: 'ESCALATED', note: '12315: 受理编号 A-1' });
  });

  test('suggested channels resolve to directory channels through the gateway', async () => {
    const c = await submit();
    type Suggested = { suggestedChannels: Array<{ id: string; name: { zhCN: string } }> };
    const res = await graph.query<{ case: Suggested }>(
      `query($id: ID!) { case(id: $id) { suggestedChannels { id name { zhCN } } } }`,
      { id: c.id },
      complainant,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.case.suggestedChannels.map((ch) => ch.id)).toEqual(['12315', 'blackcat']);
    expect(res.data?.case.suggestedChannels.every((ch) => ch.name.zhCN.length > 0)).toBe(true);
  });
});

describe('store queries per page (DataLoader)', () => {
  test('a page of 50 cases with respondents and timelines costs as many store queries as a page of 5', async () => {
    const token = await graph.token('complainant', 'user-bulk');
    for (let i = 0; i < 50; i++) {
      await submit(token, filing('赵六', { respondent: { name: `批量商户${i % 7}`, platform: '示例商城' } }));
    }
    const q = `query($n: Int!) { myCases(first: $n) {
      edges { node { reference respondent { id name creditCode } timeline { type } } } } }`;
    const countFor = async (n: number) => {
      graph.calls.length = 0;
      const res = await graph.query<{ myCases: Page<{ respondent: { name: string } }> }>(q, { n }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.myCases.edges).toHaveLength(n);
      expect(res.data?.myCases.edges.every((e) => e.node.respondent.name.startsWith('批量商户'))).toBe(true);
      return [...graph.calls];
    };
    const fifty = await countFor(50);
    const five = await countFor(5);
    expect(fifty).toEqual(five);
    // A complainant sees each respondent as their own case names it: no enterprise query at all.
    expect(fifty.sort()).toEqual(['listForComplainant', 'timelines']);
  });
});
