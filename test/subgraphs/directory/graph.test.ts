import { startGraph, type TestGraph } from '../../support/graph.ts';

const WHERE = /* GraphQL */ `
  query Where($situation: SituationInput!, $asOf: Date) {
    whereToComplain(situation: $situation, asOf: $asOf) {
      rank
      channel { id name { zhCN en } kind standing }
      ruleVersion { id }
      eligibility
      eligibleFrom
      fileBy
      datesProvisional
      reasons { code message { zhCN en } legalBasis { article version confidence } ruleVersion }
      nextSteps { zhCN en }
      requiredInformation { item label { zhCN en } }
      deadlinesIfFiled { timeLimit { id days dayKind } startsOn dueOn notCoveredYear }
    }
  }`;

/** One recommended channel, with the fields these tests read. */
interface Recommendation {
  rank: number;
  channel: { id: string };
  eligibility: string;
  eligibleFrom: string | null;
  fileBy: string | null;
  reasons: Array<{ code: string; legalBasis: Array<{ article: string; version: string; confidence: string }> }>;
  nextSteps: Array<{ en: string }>;
  deadlinesIfFiled: unknown[];
}
type Where = { whereToComplain: Recommendation[] | null };
type EntityChannels = { _entities: Array<{ channels: Array<{ id: string }> }> };

/** The recommendation for `channelId`; a test that expects one fails here, naming what it got instead. */
function optionFor(options: readonly Recommendation[] | null | undefined, channelId: string): Recommendation {
  const option = options?.find((candidate) => candidate.channel.id === channelId);
  if (!option) {
    const got = options?.map((candidate) => candidate.channel.id).join(', ');
    throw new Error(`expected an option for ${channelId}, got ${got ?? 'no options'}`);
  }
  return option;
}

let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
});

afterAll(async () => {
  await graph?.stop();
});

describe('directory through the gateway', () => {
  test('whereToComplain ranks channels; the telecom centre opens the day after the operator’s 15 days', async () => {
    const res = await graph.query<Where>(WHERE, {
      situation: {
        industry: 'TELECOM',
        issueType: 'BILLING',
        occurredOn: '2026-11-01',
        respondent: { name: '某运营商' },
        prepared: ['DEMAND', 'FACTS'],
      },
      asOf: '2026-11-15',
    });
    expect(res.errors).toBeUndefined();
    const recommendations = res.data?.whereToComplain ?? [];
    // The operator has not been asked: the telecom regulator still comes first, opening after its 15 days.
    const miit = recommendations[0];
    expect(miit).toMatchObject({
      rank: 1,
      channel: { id: 'miit-telecom', name: { zhCN: '工业和信息化部电信用户申诉受理中心' } },
      ruleVersion: { id: 'miit-order-35' },
      eligibility: 'NOT_YET',
      eligibleFrom: '2026-12-01',
      fileBy: '2027-04-01',
      datesProvisional: true,
    });
    expect(miit.reasons.map((r) => r.code)).toContain('CONTACT_BUSINESS_FIRST');
    expect(miit.nextSteps[0].en).toContain('from 2026-12-01');
    // Report and news channels, usable today, still come after the telecom regulator.
    const news = optionFor(recommendations, 'thepaper-quality');
    expect(news.eligibility).toBe('ELIGIBLE');
    expect(miit.rank).toBeLessThan(news.rank);
    expect(miit.reasons.find((r) => r.code === 'CONTACT_BUSINESS_FIRST')?.legalBasis).toEqual(
      expect.arrayContaining([{ article: 'Art. 10', version: 'MIIT Order 35 (2016)', confidence: 'SECONDARY_SOURCE' }]),
    );
  });

  test('a 12315 filing on 2026-09-28 shows the acceptance decision due on 2026-10-13', async () => {
    const res = await graph.query<Where>(WHERE, {
      situation: {
        industry: 'ECOMMERCE',
        issueType: 'REFUND',
        occurredOn: '2026-09-20',
        respondent: { name: '某网店' },
        prepared: ['DEMAND', 'FACTS'],
      },
      asOf: '2026-09-28',
    });
    expect(res.errors).toBeUndefined();
    const first = optionFor(res.data?.whereToComplain, '12315');
    expect(first.deadlinesIfFiled).toEqual(
      expect.arrayContaining([
        {
          timeLimit: { id: 'acceptance-decision', days: 7, dayKind: 'WORKING' },
          startsOn: '2026-09-28',
          dueOn: '2026-10-13',
          notCoveredYear: null,
        },
      ]),
    );
  });

  test('a reply before the contact date is BAD_USER_INPUT naming the argument path', async () => {
    const res = await graph.query<Where>(WHERE, {
      situation: {
        industry: 'TELECOM',
        issueType: 'BILLING',
        occurredOn: '2026-11-01',
        contactedBusinessOn: '2026-11-10',
        businessOutcome: 'UNSATISFIED',
        businessRepliedOn: '2026-11-05',
      },
      asOf: '2026-11-15',
    });
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'situation.businessRepliedOn',
      expected: 'a date on or after contactedBusinessOn (2026-11-10)',
    });
  });

  test.each([
    [
      'an event after asOf',
      { occurredOn: '2026-11-16' },
      'situation.occurredOn',
      'a date on or before asOf (2026-11-15)',
    ],
    ['a negative amount', { amount: -30 }, 'situation.amount', 'an amount of 0 or more (CNY)'],
    [
      'a contact with the business after asOf',
      { contactedBusinessOn: '2026-11-20', businessOutcome: 'NO_REPLY' },
      'situation.contactedBusinessOn',
      'a date on or before asOf (2026-11-15)',
    ],
  ])('%s is BAD_USER_INPUT naming the argument path', async (_name, change, argumentPath, expected) => {
    const res = await graph.query<Where>(WHERE, {
      situation: { industry: 'TELECOM', issueType: 'BILLING', occurredOn: '2026-11-01', ...change },
      asOf: '2026-11-15',
    });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath, expected });
    expect(res.data?.whereToComplain ?? null).toBeNull();
  });

  test('an asOf outside the holiday calendar is BAD_USER_INPUT on asOf', async () => {
    const res = await graph.query<Where>(WHERE, {
      situation: { industry: 'TELECOM', issueType: 'BILLING', occurredOn: '2026-11-01' },
      asOf: '2027-02-01',
    });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'asOf' });
  });

  test('a malformed date is rejected as BAD_USER_INPUT', async () => {
    const res = await graph.query<Where>(WHERE, {
      situation: { industry: 'TELECOM', issueType: 'BILLING', occurredOn: '2026-13-01' },
    });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('an unknown enum value is rejected by validation', async () => {
    const res = await graph.query<Where>(WHERE, {
      situation: { industry: 'SPACE', issueType: 'BILLING', occurredOn: '2026-11-01' },
    });
    expect(res.errors?.[0].message).toContain('"SPACE" does not exist in "Industry" enum');
    expect(res.data?.whereToComplain).toBeUndefined();
  });

  test('channels(filter) searches names and aliases in both languages', async () => {
    type Found = Array<{ id: string }>;
    const res = await graph.query<{ a: Found; b: Found; c: Found }>(
      `{ a: channels(filter: { text: "黑猫" }) { id } b: channels(filter: { text: "black cat" }) { id } c: ` +
        `channels(filter: { industry: TELECOM, kind: REGULATOR }) { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.a).toEqual([{ id: 'blackcat' }]);
    expect(res.data?.b).toEqual([{ id: 'blackcat' }]);
    expect(res.data?.c.map((c) => c.id)).toEqual(['miit-telecom', '12315', 'gov-12345']);
  });

  test('channel(id) gives the full record, both 12315 rule versions, and the deadline calculator', async () => {
    interface ChannelRecord {
      old: unknown;
      new: { id: string; legalBasis: Array<{ article: string; confidence: string }>; prerequisites: unknown[] };
      deadlines: unknown[];
      confidence: string;
    }
    const res = await graph.query<{ channel: ChannelRecord; none: null }>(/* GraphQL */ `{
      channel(id: "12315") {
        id operator { en } kind scope { allIndustries issueTypes } access { type address confidence }
        publishesResults verifiedAt confidence
        old: ruleVersion(asOf: "2026-04-14") { id validTo }
        new: ruleVersion(asOf: "2026-04-15") {
          id validFrom legalBasis { article confidence } prerequisites { kind description { en } years from }
        }
        ruleVersions { id }
        deadlines(from: "2026-09-28") { timeLimit { id } dueOn }
        sources { title url }
      }
      none: channel(id: "nope") { id }
    }`);
    expect(res.errors).toBeUndefined();
    const channel = res.data!.channel;
    expect(channel.old).toEqual({ id: 'samr-order-20', validTo: '2026-04-14' });
    expect(channel.new.id).toBe('samr-order-121');
    expect(channel.new.legalBasis).toEqual(
      expect.arrayContaining([
        { article: 'Art. 2', confidence: 'CONFIRMED' },
        { article: 'Art. 3', confidence: 'CONFIRMED' },
        { article: 'acceptance decision (Art. 14 in Order 20)', confidence: 'UNCONFIRMED' },
      ]),
    );
    expect(channel.new.prerequisites).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'LIMITATION_PERIOD', years: 3, from: 'KNOWLEDGE' })]),
    );
    expect(channel.deadlines).toEqual(
      expect.arrayContaining([{ timeLimit: { id: 'acceptance-decision' }, dueOn: '2026-10-13' }]),
    );
    expect(channel.confidence).toBe('UNCONFIRMED');
    expect(res.data?.none).toBeNull();
  });

  test('12315’s remit rules name the channels that handle what it does not; it refuses a bank dispute', async () => {
    interface Rule {
      kind: string;
    }
    const res = await graph.query<{
      channel: { ruleVersion: { prerequisites: Rule[] } };
      whereToComplain: Array<Recommendation & { channel: { id: string; kind: string; standing: string } }>;
    }>(/* GraphQL */ `{
      channel(id: "12315") {
        ruleVersion(asOf: "2026-11-22") {
          prerequisites { kind matter { en } otherChannels { id } onlyForIndustries onlyForIssueTypes leads }
        }
      }
      whereToComplain(
        situation: { industry: FINANCE, issueType: BILLING, occurredOn: "2026-11-01", platform: "手机银行" }
        asOf: "2026-11-22"
      ) { rank channel { id kind standing } eligibility reasons { code } nextSteps { en } }
    }`);
    expect(res.errors).toBeUndefined();
    const rules = res.data?.channel.ruleVersion.prerequisites ?? [];
    expect(rules).toContainEqual({
      kind: 'OUTSIDE_REMIT',
      matter: { en: 'A dispute over banking, insurance, securities or payment services' },
      otherChannels: [{ id: 'nfra-12378' }, { id: 'csrc-12386' }, { id: 'pboc-12363' }],
      onlyForIndustries: ['FINANCE'],
      onlyForIssueTypes: null,
      leads: null,
    });
    expect(rules.filter((rule) => rule.kind === 'SHARED_REMIT').length).toBeGreaterThan(0);
    const answer = res.data?.whereToComplain ?? [];
    expect(answer[0]).toMatchObject({
      rank: 1,
      channel: { id: 'nfra-12378', kind: 'REGULATOR', standing: 'STATUTORY' },
      eligibility: 'NOT_YET',
    });
    const national = optionFor(answer, '12315');
    expect(national.eligibility).toBe('NOT_ACCEPTED');
    expect(national.reasons.map((r) => r.code)).toContain('OUTSIDE_REMIT');
    expect(national.nextSteps[0].en).toContain('NFRA 12378');
  });

  test('the directory subgraph answers the same question directly', async () => {
    const res = await graph.query<{ channel: { timeLimits: unknown[] } }>(
      `{ channel(id: "spb-postal") { id timeLimits { id days dayKind } } }`,
      undefined,
      undefined,
      graph.urls.directory,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.channel.timeLimits).toEqual([{ id: 'reply', days: 30, dayKind: 'CALENDAR' }]);
  });
});

describe('directory fields on the other subgraphs’ entities', () => {
  const SUBMIT = /* GraphQL */ `mutation Submit($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`;

  /**
   * Files a telecom billing complaint for `user`: the story is shared, `facts` give each test its respondent, dates and
   * outcome. Returns the complainant's token and the case id.
   */
  async function fileTelecomBillingCase(
    user: string,
    facts: Record<string, unknown>,
  ): Promise<{ token: string; caseId: string }> {
    const token = await graph.tokenFor('complainant', user);
    const input = {
      complainant: { name: '王小明', phone: '13900139000' },
      industry: 'TELECOM',
      issueType: 'BILLING',
      title: '套餐外被多扣费用',
      description: '账单多扣了费用，我当月并未超出套餐，客服一直说在核查。',
      demands: '退还多扣的费用',
      amount: 120,
      ...facts,
    };
    const submitted = await graph.query<{ submitCase: { id: string } }>(SUBMIT, { input }, token);
    expect(submitted.errors).toBeUndefined();
    return { token, caseId: submitted.data!.submitCase.id };
  }
  type CaseOptions = {
    case: {
      reference: string;
      respondent: { channels: Array<{ id: string }> };
      escalationOptions: Recommendation[] | null;
    };
  };
  const CASE = /* GraphQL */ `
    query Case($id: ID!) {
      case(id: $id) {
        reference
        respondent { id industry channels { id } }
        escalationOptions(asOf: "2026-11-20") {
          rank channel { id name { zhCN en } } eligibility eligibleFrom fileBy reasons { code }
        }
      }
    }`;

  test("a telecom case's escalation options (an early asOf nulls only them) and respondent's channels", async () => {
    const { token, caseId } = await fileTelecomBillingCase('user-directory-test', {
      respondent: { name: '某通信运营商', address: '北京市西城区某街1号' },
      occurredOn: '2026-10-05',
      contactedBusinessOn: '2026-10-08',
      businessOutcome: 'NO_REPLY',
    });
    const res = await graph.query<CaseOptions>(CASE, { id: caseId }, token);
    expect(res.errors).toBeUndefined();
    const options = res.data?.case.escalationOptions ?? [];
    expect(options[0]).toMatchObject({
      rank: 1,
      channel: { id: 'miit-telecom' },
      eligibility: 'ELIGIBLE',
      fileBy: '2027-03-05',
    });
    expect(options[0].reasons.map((r) => r.code)).toContain('BUSINESS_PERIOD_PASSED');
    const early = await graph.query<CaseOptions>(
      `query ($id: ID!) { case(id: $id) { reference escalationOptions(asOf: "2026-10-04") { rank } } }`,
      { id: caseId },
      token,
    );
    expect(early.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'asOf',
      expected: "a date on or after the case's last recorded event (2026-10-08)",
    });
    // The failing part is null; the rest of the case still comes back.
    expect(early.data?.case).toEqual({ reference: res.data?.case.reference, escalationOptions: null });
    expect(res.data?.case.respondent.channels[0].id).toBe('miit-telecom');
  });

  test('a case the operator still has time on: MIIT NOT_YET with its opening day, above report and news', async () => {
    const { token, caseId } = await fileTelecomBillingCase('user-directory-test-2', {
      respondent: { name: '某宽带运营商', address: '上海市浦东新区某路2号' },
      occurredOn: '2026-11-01',
      contactedBusinessOn: '2026-11-10',
      businessOutcome: 'NO_REPLY',
    });
    const res = await graph.query<CaseOptions>(CASE, { id: caseId }, token);
    expect(res.errors).toBeUndefined();
    const options = res.data?.case.escalationOptions ?? [];
    const miit = optionFor(options, 'miit-telecom');
    expect(miit).toMatchObject({ eligibility: 'NOT_YET', eligibleFrom: '2026-11-26' });
    expect(miit.reasons.map((r) => r.code)).toContain('WAITING_FOR_BUSINESS');
    expect(options[0]).toMatchObject({ rank: 1, channel: { id: 'miit-telecom' }, eligibility: 'NOT_YET' });
    const news = optionFor(options, 'thepaper-quality');
    expect(miit.rank).toBeLessThan(news.rank);
  });

  test('a case escalated to 12315 gets 12315 and the MIIT centre as NOT_ACCEPTED, with the reason', async () => {
    // A refund, not a billing dispute: telecom billing is outside 12315's remit, a refund is shared with MIIT.
    const { token, caseId } = await fileTelecomBillingCase('user-directory-test-4', {
      issueType: 'REFUND',
      respondent: { name: '某固话运营商', address: '杭州市西湖区某路4号' },
      occurredOn: '2026-10-01',
      contactedBusinessOn: '2026-10-02',
      businessOutcome: 'UNSATISFIED',
      businessRepliedOn: '2026-10-03',
    });
    const id = caseId;
    const before = await graph.query<CaseOptions>(CASE, { id }, token);
    expect(before.errors).toBeUndefined();
    expect(optionFor(before.data?.case.escalationOptions, '12315').eligibility).toBe('ELIGIBLE');

    const escalated = await graph.query(
      `mutation ($input: RecordEscalationInput!) { recordEscalation(input: $input) { id } }`,
      { input: { id, channelId: '12315', note: '受理编号 B-2' } },
      token,
    );
    expect(escalated.errors).toBeUndefined();
    const after = await graph.query<CaseOptions>(CASE, { id }, token);
    expect(after.errors).toBeUndefined();
    const options = after.data?.case.escalationOptions ?? [];
    for (const channelId of ['12315', 'miit-telecom']) {
      const option = optionFor(options, channelId);
      expect(option.eligibility).toBe('NOT_ACCEPTED');
      expect(option.reasons.map((r) => r.code)).toContain('ALREADY_BEFORE_OTHER_BODY');
    }
    expect(options.at(-1)?.eligibility).toBe('NOT_ACCEPTED');
    expect(options[0].eligibility).toBe('ELIGIBLE');
  });

  // The case's industry reaches the directory as `caseIndustry`, owned by the cases subgraph alone:
  // reputation knows nothing of a business without listings, and must not answer for it.
  test('a telecom case’s respondent gets the telecom regulator first in Enterprise.channels', async () => {
    const { token, caseId } = await fileTelecomBillingCase('user-directory-test-3', {
      respondent: { name: '某移动运营商', address: '广州市天河区某路3号' },
      occurredOn: '2026-10-01',
    });
    const res = await graph.query<CaseOptions>(
      `query ($id: ID!) { case(id: $id) { respondent { channels { id } } } }`,
      { id: caseId },
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.case.respondent.channels[0].id).toBe('miit-telecom');
  });
});

describe('Enterprise.channels by industry', () => {
  test('an enterprise reference with a known industry gets that industry’s dedicated channels first', async () => {
    const query =
      /* GraphQL */ `query ($representations: [_Any!]!) { _entities(representations: ` +
      `$representations) { ... on Enterprise { id channels { id } } } }`;
    const res = await graph.query<EntityChannels>(
      query,
      {
        representations: [
          { __typename: 'Enterprise', id: 'ent1_x', listedIndustry: 'POSTAL_EXPRESS', caseIndustry: null },
          { __typename: 'Enterprise', id: 'ent1_y', listedIndustry: null, caseIndustry: null },
        ],
      },
      undefined,
      graph.urls.directory,
    );
    expect(res.errors).toBeUndefined();
    const [postal, unknown] = res.data?._entities ?? [];
    expect(postal.channels[0].id).toBe('spb-postal');
    expect(unknown.channels.map((c) => c.id)).not.toContain('spb-postal');
  });

  test("a business no listing mentions takes its latest case's industry; a listed industry wins", async () => {
    const query =
      /* GraphQL */ `query ($representations: [_Any!]!) { _entities(representations: ` +
      `$representations) { ... on Enterprise { id channels { id } } } }`;
    const res = await graph.query<EntityChannels>(
      query,
      {
        representations: [
          { __typename: 'Enterprise', id: 'ent1_case_only', listedIndustry: null, caseIndustry: 'TELECOM' },
          { __typename: 'Enterprise', id: 'ent1_both', listedIndustry: 'POSTAL_EXPRESS', caseIndustry: 'TELECOM' },
        ],
      },
      undefined,
      graph.urls.directory,
    );
    expect(res.errors).toBeUndefined();
    const [caseOnly, both] = res.data?._entities ?? [];
    expect(caseOnly.channels[0].id).toBe('miit-telecom');
    expect(both.channels[0].id).toBe('spb-postal');
  });
});
