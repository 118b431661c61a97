import type { Situation } from '../../../../subgraphs/directory/domain/situation.ts';
import { timeLimitDeadlines } from '../../../../subgraphs/directory/domain/time-limit-deadlines.ts';
import { calendar, catalogue, codes, recommendationFor, situation } from './fixtures.ts';

interface Scenario {
  name: string;
  channel: string;
  input: Partial<Situation>;
  asOf: string;
  eligibility: 'ELIGIBLE' | 'NOT_YET' | 'NOT_ACCEPTED' | 'NEEDS_INFORMATION';
  eligibleFrom?: string | null;
  fileBy?: string | null;
  reason?: string;
  missing?: string[];
}

const telecom = (input: Partial<Situation>): Partial<Situation> => ({
  industry: 'TELECOM',
  issueType: 'BILLING',
  ...input,
});
const postal = (input: Partial<Situation>): Partial<Situation> => ({
  industry: 'POSTAL_EXPRESS',
  issueType: 'DELIVERY',
  occurredOn: '2026-01-05',
  ...input,
});

const scenarios: Scenario[] = [
  // miit-telecom, contactBusinessFirst (15 days, Order 35 Art. 10)
  {
    name: 'telecom: business not yet asked → NOT_YET from the day after 15 days counted from today',
    channel: 'miit-telecom',
    input: telecom({}),
    asOf: '2026-11-15',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-12-01',
    reason: 'CONTACT_BUSINESS_FIRST',
  },
  {
    name: 'telecom: no reply, day 15 after contact → NOT_YET',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-03-01', contactedBusinessOn: '2026-03-02', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-03-17',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-03-18',
    reason: 'WAITING_FOR_BUSINESS',
  },
  {
    name: 'telecom: no reply, day 16 after contact → ELIGIBLE',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-03-01', contactedBusinessOn: '2026-03-02', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-03-18',
    eligibility: 'ELIGIBLE',
    reason: 'BUSINESS_PERIOD_PASSED',
  },
  {
    name: 'telecom: pending counts like no reply once 15 days have passed',
    channel: 'miit-telecom',
    input: telecom({
      occurredOn: '2026-03-01',
      contactedBusinessOn: '2026-03-02',
      businessOutcome: 'PENDING',
      businessRepliedOn: '2026-03-05',
    }),
    asOf: '2026-03-18',
    eligibility: 'ELIGIBLE',
  },
  {
    name: 'telecom: a contact date without an outcome is read as still pending',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-03-01', contactedBusinessOn: '2026-03-02' }),
    asOf: '2026-03-10',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-03-18',
  },
  {
    name: 'telecom: 15th day on a Sunday moves to Monday (weekend)',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-11-01', contactedBusinessOn: '2026-11-07', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-11-23',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-11-24',
  },
  {
    name: 'telecom: 15th day inside National Day moves to 2026-10-08 (holiday)',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-09-10', contactedBusinessOn: '2026-09-17', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-10-08',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-10-09',
  },
  {
    name: 'telecom: the day after the holiday-shifted 15th day → ELIGIBLE',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-09-10', contactedBusinessOn: '2026-09-17', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-10-09',
    eligibility: 'ELIGIBLE',
  },
  {
    name: 'telecom: 15th day on the worked Saturday 2026-10-10 stays there (adjusted Saturday)',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-09-20', contactedBusinessOn: '2026-09-25', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-10-10',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-10-11',
  },
  {
    name: 'telecom: replied and unsatisfied → ELIGIBLE at once',
    channel: 'miit-telecom',
    input: telecom({
      occurredOn: '2026-11-01',
      contactedBusinessOn: '2026-11-02',
      businessOutcome: 'UNSATISFIED',
      businessRepliedOn: '2026-11-03',
    }),
    asOf: '2026-11-04',
    eligibility: 'ELIGIBLE',
    reason: 'BUSINESS_REPLY_UNSATISFIED',
    fileBy: '2027-04-01',
  },
  {
    name: 'telecom: resolved to satisfaction → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({
      contactedBusinessOn: '2026-11-02',
      businessOutcome: 'SATISFIED',
      businessRepliedOn: '2026-11-03',
    }),
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
    reason: 'BUSINESS_RESOLVED',
  },
  {
    name: 'telecom: no reply but no contact date → NEEDS_INFORMATION',
    channel: 'miit-telecom',
    input: telecom({ businessOutcome: 'NO_REPLY' }),
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['BUSINESS_CONTACT_DATE'],
  },
  // miit-telecom, limitationPeriod (Order 35 Art. 11)
  {
    name: 'telecom billing: last day of 5 months → ELIGIBLE, file by that day',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-03-17', contactedBusinessOn: '2026-03-18', businessOutcome: 'UNSATISFIED' }),
    asOf: '2026-08-17',
    eligibility: 'ELIGIBLE',
    fileBy: '2026-08-17',
    reason: 'LIMITATION_RUNNING',
  },
  {
    name: 'telecom billing: the day after 5 months → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-03-17', contactedBusinessOn: '2026-03-18', businessOutcome: 'UNSATISFIED' }),
    asOf: '2026-08-18',
    eligibility: 'NOT_ACCEPTED',
    fileBy: null,
    reason: 'LIMITATION_EXPIRED',
  },
  {
    name: 'telecom billing: 5 months ending in Dragon Boat holiday run to Monday 2026-06-22',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-01-20', contactedBusinessOn: '2026-01-21', businessOutcome: 'UNSATISFIED' }),
    asOf: '2026-06-22',
    eligibility: 'ELIGIBLE',
    fileBy: '2026-06-22',
  },
  {
    name: 'telecom billing: the day after the shifted end → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-01-20', contactedBusinessOn: '2026-01-21', businessOutcome: 'UNSATISFIED' }),
    asOf: '2026-06-23',
    eligibility: 'NOT_ACCEPTED',
    reason: 'LIMITATION_EXPIRED',
  },
  {
    name: 'telecom service quality: 5-month billing limit does not apply',
    channel: 'miit-telecom',
    input: telecom({
      issueType: 'SERVICE_QUALITY',
      occurredOn: '2026-01-05',
      contactedBusinessOn: '2026-01-06',
      businessOutcome: 'UNSATISFIED',
    }),
    asOf: '2026-08-01',
    eligibility: 'ELIGIBLE',
    fileBy: '2028-01-05',
  },
  {
    name: 'telecom other dispute: last day of 2 years → ELIGIBLE',
    channel: 'miit-telecom',
    input: telecom({
      issueType: 'SERVICE_QUALITY',
      occurredOn: '2024-11-20',
      contactedBusinessOn: '2024-11-21',
      businessOutcome: 'UNSATISFIED',
    }),
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
    fileBy: '2026-11-20',
  },
  {
    name: 'telecom other dispute: first working day after 2 years → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({
      issueType: 'SERVICE_QUALITY',
      occurredOn: '2024-11-20',
      contactedBusinessOn: '2024-11-21',
      businessOutcome: 'UNSATISFIED',
    }),
    asOf: '2026-11-23',
    eligibility: 'NOT_ACCEPTED',
    reason: 'LIMITATION_EXPIRED',
  },
  {
    name: 'telecom other dispute: 2 years ending on a Saturday run to Monday',
    channel: 'miit-telecom',
    input: telecom({
      issueType: 'CONTRACT',
      occurredOn: '2024-11-21',
      contactedBusinessOn: '2024-11-22',
      businessOutcome: 'UNSATISFIED',
    }),
    asOf: '2026-11-23',
    eligibility: 'ELIGIBLE',
    fileBy: '2026-11-23',
  },
  {
    name: 'telecom: limitation ends before the business period → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({ occurredOn: '2026-03-17', contactedBusinessOn: '2026-08-10', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-08-12',
    eligibility: 'NOT_ACCEPTED',
    reason: 'LIMITATION_ENDS_BEFORE_ELIGIBLE',
  },
  // miit-telecom, notAlreadyBefore (Art. 11) and requiredFacts (Art. 10)
  {
    name: 'telecom: already in court → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({ contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED', alreadyBefore: ['COURT'] }),
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
    reason: 'ALREADY_BEFORE_OTHER_BODY',
  },
  {
    name: 'telecom: already filed with 12315 counts as another agency → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({ contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED', alreadyFiledWith: ['12315'] }),
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
    reason: 'ALREADY_BEFORE_OTHER_BODY',
  },
  {
    name: 'telecom: already accepted by the appeal centre itself → NOT_ACCEPTED',
    channel: 'miit-telecom',
    input: telecom({
      contactedBusinessOn: '2026-11-02',
      businessOutcome: 'UNSATISFIED',
      alreadyFiledWith: ['miit-telecom'],
    }),
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
  },
  {
    name: 'telecom: a post on Black Cat does not bar the appeal',
    channel: 'miit-telecom',
    input: telecom({
      contactedBusinessOn: '2026-11-02',
      businessOutcome: 'UNSATISFIED',
      alreadyFiledWith: ['blackcat'],
    }),
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
    reason: 'NO_PARALLEL_PROCEEDING',
  },
  {
    name: 'telecom: no respondent named → NEEDS_INFORMATION',
    channel: 'miit-telecom',
    input: telecom({ respondent: null, contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED' }),
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['RESPONDENT_NAME'],
  },

  // spb-postal, contactBusinessFirst (7 days, Art. 9) and notAlreadyBefore
  {
    name: 'postal: day 7 after contact → NOT_YET',
    channel: 'spb-postal',
    input: postal({ contactedBusinessOn: '2026-11-02', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-11-09',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-11-10',
  },
  {
    name: 'postal: day 8 after contact → ELIGIBLE',
    channel: 'spb-postal',
    input: postal({ contactedBusinessOn: '2026-11-02', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-11-10',
    eligibility: 'ELIGIBLE',
    fileBy: null,
  },
  {
    name: 'postal: 7th day on a Saturday moves to Monday',
    channel: 'spb-postal',
    input: postal({ contactedBusinessOn: '2026-11-07', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-11-16',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-11-17',
  },
  {
    name: 'postal: 7th day in Spring Festival moves to the first working day after it',
    channel: 'spb-postal',
    input: postal({ contactedBusinessOn: '2026-02-10', businessOutcome: 'NO_REPLY' }),
    asOf: '2026-02-12',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-02-25',
  },
  {
    name: 'postal: not asked yet → NOT_YET 8 days from today',
    channel: 'spb-postal',
    input: postal({}),
    asOf: '2026-11-02',
    eligibility: 'NOT_YET',
    eligibleFrom: '2026-11-10',
  },
  {
    name: 'postal: in people’s mediation → NOT_ACCEPTED',
    channel: 'spb-postal',
    input: postal({ contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED', alreadyBefore: ['MEDIATION'] }),
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
  },
  {
    name: 'postal: missing demand → NEEDS_INFORMATION',
    channel: 'spb-postal',
    input: postal({ prepared: ['FACTS'], contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED' }),
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['DEMAND'],
  },

  // 12315 under Order 20 and Order 121
  {
    name: '12315: 3 years from knowledge, last day → ELIGIBLE',
    channel: '12315',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', occurredOn: '2023-05-10', knewOn: '2023-11-20' },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
    fileBy: '2026-11-20',
    reason: 'LIMITATION_RUNNING',
  },
  {
    name: '12315: 3 years from knowledge, next working day → NOT_ACCEPTED',
    channel: '12315',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', occurredOn: '2023-05-10', knewOn: '2023-11-20' },
    asOf: '2026-11-23',
    eligibility: 'NOT_ACCEPTED',
    reason: 'LIMITATION_EXPIRED',
  },
  {
    name: '12315: 3 years ending on a Sunday (after a worked Saturday) run to Monday',
    channel: '12315',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', occurredOn: '2023-05-10' },
    asOf: '2026-05-11',
    eligibility: 'ELIGIBLE',
    fileBy: '2026-05-11',
  },
  {
    name: '12315: already with a consumer association → NOT_ACCEPTED',
    channel: '12315',
    input: {
      industry: 'ECOMMERCE',
      issueType: 'REFUND',
      occurredOn: '2026-10-01',
      alreadyBefore: ['CONSUMER_ASSOCIATION'],
    },
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
  },
  {
    name: '12315: filed with the Yiwu station counts as a consumer association → NOT_ACCEPTED',
    channel: '12315',
    input: {
      industry: 'ECOMMERCE',
      issueType: 'REFUND',
      occurredOn: '2026-10-01',
      region: '义乌',
      alreadyFiledWith: ['yiwu-jiangdong'],
    },
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
  },
  {
    name: '12315: no facts given → NEEDS_INFORMATION',
    channel: '12315',
    input: { industry: 'FOOD', issueType: 'FOOD_SAFETY', occurredOn: '2026-10-01', prepared: ['DEMAND'] },
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['FACTS'],
  },
  {
    name: '12315: no need to ask the business first',
    channel: '12315',
    input: { industry: 'ECOMMERCE', issueType: 'REFUND', occurredOn: '2026-11-20' },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
  },

  // isc-internet, platforms and reporting centres
  {
    name: 'isc-internet: named respondent → ELIGIBLE',
    channel: 'isc-internet',
    input: { industry: 'INTERNET_SERVICES', issueType: 'BILLING' },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
  },
  {
    name: 'isc-internet: no respondent → NEEDS_INFORMATION',
    channel: 'isc-internet',
    input: { industry: 'GAMES', issueType: 'REFUND', respondent: null },
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['RESPONDENT_NAME'],
  },
  ...['blackcat', 'jutousu-21cn', 'people-complaints', 'woodpecker', 'xfb315'].flatMap((channel): Scenario[] => [
    {
      name: `${channel}: named respondent → ELIGIBLE`,
      channel,
      input: { industry: 'ECOMMERCE', issueType: 'REFUND' },
      asOf: '2026-11-20',
      eligibility: 'ELIGIBLE',
    },
    {
      name: `${channel}: no respondent → NEEDS_INFORMATION`,
      channel,
      input: { industry: 'ECOMMERCE', issueType: 'REFUND', respondent: { name: '  ' } },
      asOf: '2026-11-20',
      eligibility: 'NEEDS_INFORMATION',
      missing: ['RESPONDENT_NAME'],
    },
  ]),
  {
    name: 'tencent-110: account security, no published prerequisite → ELIGIBLE',
    channel: 'tencent-110',
    input: { industry: 'INTERNET_SERVICES', issueType: 'ACCOUNT_SECURITY', respondent: null },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
    reason: 'NO_PREREQUISITES',
  },
  {
    name: '12321: spam report → ELIGIBLE',
    channel: '12321',
    input: { industry: 'TELECOM', issueType: 'SPAM', respondent: null },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
    reason: 'NO_PREREQUISITES',
  },
  {
    name: '12377: harmful content report → ELIGIBLE',
    channel: '12377',
    input: { industry: 'INTERNET_SERVICES', issueType: 'HARMFUL_CONTENT', respondent: null },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
  },
  {
    name: 'thepaper-quality: news column → ELIGIBLE, no prerequisite',
    channel: 'thepaper-quality',
    input: { industry: 'FOOD', issueType: 'FOOD_SAFETY' },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
  },

  // yiwu-jiangdong: respondentInRegion and requiredFacts
  {
    name: 'yiwu: business in 义乌 with contact details → ELIGIBLE',
    channel: 'yiwu-jiangdong',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', region: '浙江省义乌市' },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
    reason: 'REGION_MATCHES',
  },
  {
    name: 'yiwu: region written in English matches',
    channel: 'yiwu-jiangdong',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', region: 'Yiwu, Zhejiang' },
    asOf: '2026-11-20',
    eligibility: 'ELIGIBLE',
  },
  {
    name: 'yiwu: business elsewhere → NOT_ACCEPTED',
    channel: 'yiwu-jiangdong',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', region: '浙江省杭州市' },
    asOf: '2026-11-20',
    eligibility: 'NOT_ACCEPTED',
    reason: 'REGION_OUT_OF_SCOPE',
  },
  {
    name: 'yiwu: region unknown → NEEDS_INFORMATION',
    channel: 'yiwu-jiangdong',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY' },
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['RESPONDENT_REGION'],
  },
  {
    name: 'yiwu: no contact details for the complainant → NEEDS_INFORMATION',
    channel: 'yiwu-jiangdong',
    input: { industry: 'ECOMMERCE', issueType: 'PRODUCT_QUALITY', region: '义乌', prepared: ['DEMAND', 'FACTS'] },
    asOf: '2026-11-20',
    eligibility: 'NEEDS_INFORMATION',
    missing: ['COMPLAINANT_CONTACT'],
  },
];

describe('rule scenarios, one per rule and boundary', () => {
  test.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const recommendation = recommendationFor(scenario.channel, situation(scenario.input), scenario.asOf);
    expect(recommendation.eligibility).toBe(scenario.eligibility);
    if (scenario.eligibleFrom !== undefined) expect(recommendation.eligibleFrom).toBe(scenario.eligibleFrom);
    if (scenario.fileBy !== undefined) expect(recommendation.fileBy).toBe(scenario.fileBy);
    if (scenario.reason) expect(codes(recommendation)).toContain(scenario.reason);
    if (scenario.missing) expect(recommendation.missingInformation).toEqual(expect.arrayContaining(scenario.missing));
    if (scenario.eligibility !== 'NOT_YET') expect(recommendation.eligibleFrom).toBeNull();
  });
});

describe('the Order 121 switch on 2026-04-15', () => {
  const input = situation({ industry: 'ECOMMERCE', issueType: 'REFUND', occurredOn: '2026-04-01' });

  test('on 2026-04-14 the 12315 answer is judged and cited under Order 20', () => {
    const recommendation = recommendationFor('12315', input, '2026-04-14');
    expect(recommendation.ruleVersion.id).toBe('samr-order-20');
    const limitation = recommendation.reasons.find((reason) => reason.code === 'LIMITATION_RUNNING')!;
    expect(limitation.legalBasis.map((reference) => reference.version)).toEqual(['SAMR Order 20 (2019, amended 2022)']);
    expect(limitation.message.en).toContain('SAMR Order 20 (2019, amended 2022) Art. 15');
    expect(limitation.message.en).not.toContain('unconfirmed');
  });

  test('on 2026-04-15 the 12315 answer is judged under Order 121 and says its articles are unconfirmed', () => {
    const recommendation = recommendationFor('12315', input, '2026-04-15');
    expect(recommendation.ruleVersion.id).toBe('samr-order-121');
    const limitation = recommendation.reasons.find((reason) => reason.code === 'LIMITATION_RUNNING')!;
    expect(limitation.message.en).toContain(
      'SAMR Order 121 (2025)), grounds of non-acceptance (Art. 15 in Order 20) (unconfirmed)',
    );
    expect(limitation.message.zh).toContain('（未核实）');
    expect(recommendation.reasons[0].code).toBe('RULE_VERSION');
    expect(recommendation.reasons[0].message.en).toContain('not yet confirmed');
  });
});

describe('next steps', () => {
  test('the telecom example: complain to the operator, appeal from the day after its 15 days (issue wording)', () => {
    const recommendation = recommendationFor('miit-telecom', situation(), '2026-11-15');
    expect(recommendation.nextSteps[0].en).toContain(
      'has not replied by 2026-11-30, you can complain to MIIT Telecom User Appeal Acceptance Center from 2026-12-01',
    );
    expect(recommendation.nextSteps[0].en).toContain('MIIT Order 35 (2016) Art. 10');
    expect(recommendation.nextSteps[0].zh).toContain('2026-12-01起向工业和信息化部电信用户申诉受理中心投诉');
  });

  test('an eligible 12315 complaint filed on 2026-09-28 gets its acceptance decision due 2026-10-13', () => {
    const recommendation = recommendationFor(
      '12315',
      situation({ industry: 'ECOMMERCE', issueType: 'REFUND', occurredOn: '2026-09-20' }),
      '2026-09-28',
    );
    const acceptance = recommendation.deadlinesIfFiled.find((d) => d.timeLimit.id === 'acceptance-decision')!;
    expect(acceptance.dueOn).toBe('2026-10-13');
    expect(recommendation.nextSteps.some((step) => step.en.includes('by 2026-10-13'))).toBe(true);
  });

  test('a NOT_YET channel reports the deadlines counted from the day it becomes usable', () => {
    const recommendation = recommendationFor(
      'miit-telecom',
      situation({ occurredOn: '2026-09-10', contactedBusinessOn: '2026-09-14', businessOutcome: 'NO_REPLY' }),
      '2026-09-20',
    );
    expect(recommendation.eligibleFrom).toBe('2026-09-30');
    expect(recommendation.deadlinesIfFiled.find((d) => d.timeLimit.id === 'acceptance-decision')!.dueOn).toBe(
      '2026-10-13',
    );
  });
});

describe('the deadline calculator', () => {
  const version = (id: string, index = 0) => catalogue.byId.get(id)!.ruleVersions[index];

  test('12315 acceptance from 2026-09-28: 7 working days across National Day', () => {
    const deadlines = timeLimitDeadlines(calendar, version('12315'), '2026-09-28');
    expect(deadlines.find((d) => d.timeLimit.id === 'acceptance-decision')!.dueOn).toBe('2026-10-13');
  });

  test('telecom acceptance from 2026-09-28: 5 working days end on the worked Saturday 2026-10-10', () => {
    const deadlines = timeLimitDeadlines(calendar, version('miit-telecom'), '2026-09-28');
    expect(deadlines.find((d) => d.timeLimit.id === 'acceptance-decision')!.dueOn).toBe('2026-10-10');
  });

  test('postal reply: 30 calendar days, moved past a weekend', () => {
    const deadlines = timeLimitDeadlines(calendar, version('spb-postal'), '2026-10-15');
    expect(deadlines[0].dueOn).toBe('2026-11-16'); // nominal 2026-11-14 is a Saturday
  });

  test('Order 121 mediation limit has no due date because the figure is unconfirmed', () => {
    const deadlines = timeLimitDeadlines(calendar, version('12315', 1), '2026-09-28');
    expect(deadlines.find((d) => d.timeLimit.id === 'mediation-end')).toMatchObject({
      dueOn: null,
      notCoveredYear: null,
    });
  });

  test('a working-day limit running into 2027 reports the uncovered year instead of a date', () => {
    const deadlines = timeLimitDeadlines(calendar, version('isc-internet'), '2026-12-28');
    expect(deadlines[0]).toMatchObject({ dueOn: null, notCoveredYear: 2027 });
  });
});
