import { INDUSTRIES, type Industry, type IssueType } from '../../../../platform/vocabulary.ts';
import { type Recommendation, whereToComplain } from '../../../../subgraphs/directory/domain/recommend.ts';
import type { Situation } from '../../../../subgraphs/directory/domain/situation.ts';
import { calendar, catalogue, codes, recommendationFor } from './fixtures.ts';

/** Each regulator's remit (issue 13): the right statutory channel per industry, 12315's exclusions, shared matters. */

const AS_OF = '2026-11-22';

function answer(overrides: Partial<Situation>, asOf = AS_OF): Recommendation[] {
  return whereToComplain(
    catalogue,
    calendar,
    { industry: 'OTHER', issueType: 'OTHER', occurredOn: '2026-11-01', respondent: { name: '某公司' }, ...overrides },
    asOf,
  ).recommendations;
}

const firstStatutory = (recommendations: Recommendation[]) =>
  recommendations.find((r) => r.channel.standing === 'STATUTORY')!;

type Row = [
  Industry,
  IssueType,
  Partial<Situation>,
  string,
  Recommendation['eligibility'],
  Recommendation['eligibility'],
];

// industry, issue, extra facts, first statutory channel, its eligibility, 12315's eligibility
const TABLE: Row[] = [
  ['ECOMMERCE', 'PRODUCT_QUALITY', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['TELECOM', 'BILLING', {}, 'miit-telecom', 'NOT_YET', 'NOT_ACCEPTED'],
  ['POSTAL_EXPRESS', 'DELIVERY', {}, 'spb-postal', 'NOT_YET', 'NOT_ACCEPTED'],
  ['INTERNET_SERVICES', 'REFUND', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['FINANCE', 'BILLING', { respondent: { name: '某银行' } }, 'nfra-12378', 'NOT_YET', 'NOT_ACCEPTED'],
  ['FOOD', 'FOOD_SAFETY', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['TRAVEL', 'SERVICE_QUALITY', { respondent: { name: '某航空公司' } }, 'caac-consumer', 'NOT_YET', 'ELIGIBLE'],
  ['EDUCATION', 'REFUND', { respondent: { name: '某培训学校' } }, 'moe-offcampus', 'ELIGIBLE', 'ELIGIBLE'],
  ['AUTOMOTIVE', 'AFTER_SALES', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['HOUSING', 'CONTRACT', {}, 'housing-12319', 'ELIGIBLE', 'ELIGIBLE'],
  ['HEALTHCARE', 'BILLING', { respondent: { name: '某医院' } }, 'nhc-12320', 'ELIGIBLE', 'NOT_ACCEPTED'],
  ['HOUSEHOLD_GOODS', 'PRODUCT_QUALITY', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['LOCAL_SERVICES', 'SERVICE_QUALITY', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['GAMES', 'REFUND', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
  ['OTHER', 'OTHER', {}, '12315', 'ELIGIBLE', 'ELIGIBLE'],
];

describe('the first statutory channel, per industry', () => {
  test('the table has a situation for every industry', () => {
    expect(new Set(TABLE.map(([industry]) => industry))).toEqual(new Set(INDUSTRIES));
  });

  test.each(TABLE)(
    '%s %s: first statutory channel and 12315’s answer',
    (industry, issueType, extra, id, eligibility, national) => {
      const recommendations = answer({ industry, issueType, ...extra });
      expect(firstStatutory(recommendations).channel.id).toBe(id);
      expect(firstStatutory(recommendations).eligibility).toBe(eligibility);
      expect(recommendations.find((r) => r.channel.id === '12315')!.eligibility).toBe(national);
    },
  );
});

describe('12315 outside its remit', () => {
  const outside: [Industry, IssueType, string][] = [
    ['FINANCE', 'BILLING', 'nfra-12378'],
    ['FINANCE', 'PRIVACY', 'pboc-12363'],
    ['FINANCE', 'CONTRACT', 'csrc-12386'],
    ['TELECOM', 'BILLING', 'miit-telecom'],
    ['TELECOM', 'SERVICE_QUALITY', 'miit-telecom'],
    ['POSTAL_EXPRESS', 'DELIVERY', 'spb-postal'],
    ['HEALTHCARE', 'SERVICE_QUALITY', 'nhc-12320'],
    ['HEALTHCARE', 'BILLING', 'medical-mediation'],
  ];

  test.each(outside)(
    '%s %s: NOT_ACCEPTED with OUTSIDE_REMIT under Order 121 Art. 2, and a next step naming %s',
    (industry, issueType, handler) => {
      const national = recommendationFor('12315', { industry, issueType, occurredOn: '2026-11-01' }, AS_OF);
      expect(national.eligibility).toBe('NOT_ACCEPTED');
      const remit = national.reasons.find((r) => r.code === 'OUTSIDE_REMIT')!;
      expect(remit.legalBasis).toEqual(
        expect.arrayContaining([expect.objectContaining({ article: 'Art. 2', version: 'SAMR Order 121 (2025)' })]),
      );
      const name = catalogue.byId.get(handler)!.name;
      expect(remit.message.en).toContain(name.en);
      expect(national.nextSteps[0].en).toContain(`Take the matter to`);
      expect(national.nextSteps[0].en).toContain(name.en);
      expect(national.nextSteps[0].zh).toContain(name.zh);
      expect(national.fileBy).toBeNull();
    },
  );

  test('before 2026-04-15 the same remit rests on Order 20 Art. 15 (ground 1)', () => {
    const national = recommendationFor(
      '12315',
      { industry: 'FINANCE', issueType: 'BILLING', occurredOn: '2026-02-01' },
      '2026-03-02',
    );
    expect(national.ruleVersion.id).toBe('samr-order-20');
    const remit = national.reasons.find((r) => r.code === 'OUTSIDE_REMIT')!;
    expect(remit.legalBasis.map((reference) => `${reference.version} ${reference.article}`)).toContain(
      'SAMR Order 20 (2019, amended 2022) Art. 15',
    );
  });

  test('goods bought from a telecom business stay with 12315', () => {
    expect(
      recommendationFor('12315', { industry: 'TELECOM', issueType: 'PRODUCT_QUALITY', occurredOn: '2026-11-01' }, AS_OF)
        .eligibility,
    ).toBe('ELIGIBLE');
  });
});

describe('a matter two regulators may both take', () => {
  test('a phone’s handset: 12315 leads and says the MIIT centre may also take the telecom side', () => {
    const national = answer({ industry: 'TELECOM', issueType: 'PRODUCT_QUALITY' })[0];
    expect(national.channel.id).toBe('12315');
    const shared = national.reasons.find((r) => r.code === 'SHARED_REMIT')!;
    expect(shared.message.en).toContain('MIIT Telecom User Appeal Acceptance Center');
    expect(shared.message.en).toContain('National 12315 Platform leads');
  });

  test('a refund of a telecom service: both may take it, the MIIT centre leads and ranks above 12315', () => {
    const recommendations = answer({ industry: 'TELECOM', issueType: 'REFUND' });
    const miit = recommendations.find((r) => r.channel.id === 'miit-telecom')!;
    const national = recommendations.find((r) => r.channel.id === '12315')!;
    expect(miit.rank).toBe(1);
    expect(national.eligibility).toBe('ELIGIBLE');
    expect(miit.rank).toBeLessThan(national.rank);
    for (const recommendation of [miit, national]) expect(codes(recommendation)).toContain('SHARED_REMIT');
    expect(national.reasons.find((r) => r.code === 'SHARED_REMIT')!.message.en).toContain(
      'MIIT Telecom User Appeal Acceptance Center leads',
    );
  });
});

describe('the six situations of issue 13', () => {
  test('a bank dispute starts with the financial regulator, which first sends you to the bank (15 days)', () => {
    const [first] = answer({ industry: 'FINANCE', issueType: 'BILLING', respondent: { name: '某银行' } });
    expect(first.channel.id).toBe('nfra-12378');
    expect(first.eligibility).toBe('NOT_YET');
    expect(first.eligibleFrom).toBe('2026-12-08');
    expect(codes(first)).toContain('CONTACT_BUSINESS_FIRST');
    expect(first.nextSteps[0].en).toContain('Complain to the business first');
  });

  test('a delayed flight starts with the CAAC centre, after the airline’s 10 working days', () => {
    const [first] = answer({
      industry: 'TRAVEL',
      issueType: 'SERVICE_QUALITY',
      respondent: { name: '某航空公司' },
      contactedBusinessOn: '2026-11-20',
      businessOutcome: 'NO_REPLY',
    });
    expect(first.channel.id).toBe('caac-consumer');
    expect(first.eligibility).toBe('NOT_YET');
    // 10 working days after Friday 2026-11-20 end on Friday 2026-12-04.
    expect(first.eligibleFrom).toBe('2026-12-05');
    expect(codes(first)).toEqual(expect.arrayContaining(['WAITING_FOR_BUSINESS', 'SHARED_REMIT']));
  });

  test('a medical bill starts with the 12320 health line; 12315 refuses it as outside its remit', () => {
    const recommendations = answer({ industry: 'HEALTHCARE', issueType: 'BILLING', respondent: { name: '某医院' } });
    expect(recommendations[0]).toMatchObject({ channel: { id: 'nhc-12320' }, eligibility: 'ELIGIBLE' });
    expect(recommendations.find((r) => r.channel.id === 'medical-mediation')!.eligibility).toBe('ELIGIBLE');
  });

  test('a tutoring refund starts with the education authorities’ platform, which leads over 12315', () => {
    const recommendations = answer({ industry: 'EDUCATION', issueType: 'REFUND', respondent: { name: '某培训学校' } });
    expect(recommendations[0]).toMatchObject({ channel: { id: 'moe-offcampus' }, eligibility: 'ELIGIBLE' });
    expect(recommendations[1].channel.id).toBe('12315');
  });

  test('a car repair under the three guarantees starts with the seller (Order 43), then 12315', () => {
    const recommendations = answer({
      industry: 'AUTOMOTIVE',
      issueType: 'AFTER_SALES',
      respondent: { name: '某4S店' },
    });
    expect(recommendations[0].channel.id).toBe('car-dealer-three-guarantees');
    expect(codes(recommendations[0])).toContain('FIRST_STOP');
    expect(recommendations[0].deadlinesIfFiled.map((d) => [d.timeLimit.id, d.dueOn])).toContainEqual([
      'seller-answer',
      '2026-12-04',
    ]);
    expect(firstStatutory(recommendations)).toMatchObject({ channel: { id: '12315' }, eligibility: 'ELIGIBLE' });
  });

  test('a game top-up by a minor starts with the game operator’s refund channel, then 12315', () => {
    const recommendations = answer({ industry: 'GAMES', issueType: 'REFUND', respondent: { name: '某游戏公司' } });
    expect(recommendations[0].channel.id).toBe('game-operator-refund');
    expect(codes(recommendations[0])).toContain('FIRST_STOP');
    expect(firstStatutory(recommendations)).toMatchObject({ channel: { id: '12315' }, eligibility: 'ELIGIBLE' });
  });

  test('once the business has been asked, its own channel is no longer the first stop', () => {
    const recommendations = answer({
      industry: 'AUTOMOTIVE',
      issueType: 'AFTER_SALES',
      contactedBusinessOn: '2026-11-05',
      businessOutcome: 'UNSATISFIED',
    });
    expect(recommendations[0].channel.id).toBe('12315');
    const dealer = recommendations.find((r) => r.channel.id === 'car-dealer-three-guarantees')!;
    expect(codes(dealer)).not.toContain('FIRST_STOP');
  });
});

describe('business channels limited to named businesses', () => {
  test('a marketplace’s channel appears only when the situation names the marketplace', () => {
    expect(answer({ industry: 'ECOMMERCE', issueType: 'REFUND', platform: '淘宝' })[0].channel.id).toBe('taobao-tmall');
    expect(answer({ industry: 'ECOMMERCE', issueType: 'REFUND', respondent: { name: '京东自营' } })[0].channel.id).toBe(
      'jd',
    );
    const ids = answer({ industry: 'ECOMMERCE', issueType: 'REFUND' }).map((r) => r.channel.id);
    for (const marketplace of ['taobao-tmall', 'jd', 'pinduoduo', 'meituan', 'douyin-ecommerce'])
      expect(ids).not.toContain(marketplace);
  });
});

describe('settled, and the tourism period', () => {
  test('a settlement already carried out: 12315 does not take it (Order 121 Art. 3 with the no-dispute ground)', () => {
    const national = recommendationFor(
      '12315',
      { industry: 'ECOMMERCE', issueType: 'REFUND', occurredOn: '2026-11-01', alreadyBefore: ['SETTLED'] },
      AS_OF,
    );
    expect(national.eligibility).toBe('NOT_ACCEPTED');
    const settled = national.reasons.find((r) => r.code === 'ALREADY_BEFORE_OTHER_BODY')!;
    expect(settled.legalBasis.map((reference) => reference.article)).toContain('Art. 3');
    expect(settled.message.en).toContain('settled');
    expect(settled.message.en).not.toContain('before a settlement');
  });

  test('under Order 20 the same ground is Art. 15 read with Art. 3', () => {
    const national = recommendationFor(
      '12315',
      { industry: 'ECOMMERCE', issueType: 'REFUND', occurredOn: '2026-02-01', alreadyBefore: ['SETTLED'] },
      '2026-03-02',
    );
    const settled = national.reasons.find((r) => r.code === 'ALREADY_BEFORE_OTHER_BODY')!;
    expect(settled.legalBasis.map((reference) => reference.article)).toEqual(['Art. 3', 'Art. 15']);
  });

  test('a tourism complaint more than 90 days after the event is not accepted', () => {
    const tourism = recommendationFor(
      'tourism-complaints',
      { industry: 'TRAVEL', issueType: 'CONTRACT', occurredOn: '2026-08-01', respondent: { name: '某旅行社' } },
      AS_OF,
    );
    expect(tourism.eligibility).toBe('NOT_ACCEPTED');
    expect(codes(tourism)).toContain('LIMITATION_EXPIRED');
  });
});

describe('reason texts', () => {
  test('no message ends in ".." or "。。"', () => {
    for (const [industry, issueType, extra] of TABLE)
      for (const recommendation of answer({ industry, issueType, ...extra }))
        for (const text of [...recommendation.reasons.map((r) => r.message), ...recommendation.nextSteps]) {
          expect(text.en).not.toMatch(/\.\.$/);
          expect(text.zh).not.toMatch(/。。$/);
        }
  });
});
