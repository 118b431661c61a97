import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { addDays, daysBetween } from '../../../../platform/calendar/dates.ts';
import { BUSINESS_OUTCOMES, INDUSTRIES, ISSUE_TYPES } from '../../../../platform/vocabulary.ts';
import { Proceeding, type InformationItem } from '../../../../subgraphs/directory/domain/catalogue.ts';
import { whereToComplain } from '../../../../subgraphs/directory/domain/recommend.ts';
import type { Situation } from '../../../../subgraphs/directory/domain/situation.ts';
import { calendar, catalogue, codes, recommendationFor, situation } from './fixtures.ts';

function badInput(run: () => unknown): { argumentPath: string; expected: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const extensions = (error as GraphQLError).extensions;
    expect(extensions.code).toBe('BAD_USER_INPUT');
    return extensions as { argumentPath: string; expected: string };
  }
  throw new Error('expected BAD_USER_INPUT, nothing was thrown');
}

describe('ranking', () => {
  test(
    'a telecom refund answered unsatisfactorily: the MIIT centre (which leads for it) ranks first, ' + 'above 12315',
    () => {
      const answer = whereToComplain(
        catalogue,
        calendar,
        situation({ issueType: 'REFUND', contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED' }),
        '2026-11-20',
      );
      const ids = answer.recommendations.map((r) => r.channel.id);
      expect(ids[0]).toBe('miit-telecom');
      expect(ids.indexOf('12315')).toBe(1);
      expect(answer.recommendations[0].reasons.find((r) => r.code === 'STANDING')!.message.en).toContain(
        'dedicated to telecommunications disputes',
      );
    },
  );

  test(
    'telecom billing, operator not yet asked: the NOT_YET MIIT centre ranks first, channels usable ' + 'today after',
    () => {
      const answer = whereToComplain(catalogue, calendar, situation(), '2026-11-20');
      const miit = answer.recommendations.find((r) => r.channel.id === 'miit-telecom')!;
      expect(miit.eligibility).toBe('NOT_YET');
      expect(miit.rank).toBe(1);
      expect(miit.nextSteps[0].en).toContain('Complain to the business first');
      const usableToday = answer.recommendations.filter((r) => r.eligibility === 'ELIGIBLE');
      expect(usableToday.length).toBeGreaterThan(0);
      expect(usableToday.every((r) => r.rank > miit.rank)).toBe(true);
    },
  );

  test('without `prepared`, the checklist does not decide eligibility: MIIT waits for the operator’s 15 days', () => {
    const input = situation({ prepared: undefined, contactedBusinessOn: '2026-11-10', businessOutcome: 'NO_REPLY' });
    const miit = recommendationFor('miit-telecom', input, '2026-11-22');
    expect(miit.eligibility).toBe('NOT_YET');
    expect(miit.eligibleFrom).toBe('2026-11-26');
    expect(codes(miit)).toContain('INFORMATION_TO_PREPARE');
    expect(miit.missingInformation.length).toBeGreaterThan(0);
  });

  test('without `prepared`, a statutory channel usable today ranks above a news column', () => {
    const answer = whereToComplain(
      catalogue,
      calendar,
      situation({ issueType: 'REFUND', prepared: undefined }),
      '2026-11-22',
    ).recommendations;
    const rankOf = (id: string) => answer.find((r) => r.channel.id === id)?.rank ?? Infinity;
    expect(answer.find((r) => r.channel.id === '12315')?.eligibility).toBe('ELIGIBLE');
    expect(rankOf('12315')).toBeLessThan(rankOf('thepaper-quality'));
  });

  test(
    'ranks are 1..n; dispute channels, then report and news channels, then ruled-out ones; eligibility ' +
      'groups in order inside each',
    () => {
      const answer = whereToComplain(
        catalogue,
        calendar,
        situation({ industry: 'ECOMMERCE', issueType: 'FRAUD', alreadyFiledWith: ['12315'] }),
        '2026-11-20',
      );
      expect(answer.recommendations.map((r) => r.rank)).toEqual(answer.recommendations.map((_, i) => i + 1));
      const group = (r: (typeof answer.recommendations)[number]) =>
        r.eligibility === 'NOT_ACCEPTED' ? 2 : r.channel.standing === 'REPORT' || r.channel.standing === 'NEWS' ? 1 : 0;
      const order = ['ELIGIBLE', 'NEEDS_INFORMATION', 'NOT_YET', 'NOT_ACCEPTED'];
      const keys = answer.recommendations.map((r) => group(r) * 10 + order.indexOf(r.eligibility));
      expect([...keys].sort((a, b) => a - b)).toEqual(keys);
      expect(new Set(answer.recommendations.map(group))).toEqual(new Set([0, 1, 2]));
    },
  );

  test('only channels whose scope covers the industry and issue type are returned', () => {
    const ids = whereToComplain(
      catalogue,
      calendar,
      situation({ industry: 'POSTAL_EXPRESS', issueType: 'DELIVERY' }),
      '2026-11-20',
    ).recommendations.map((r) => r.channel.id);
    expect(ids).toContain('spb-postal');
    expect(ids).not.toContain('miit-telecom');
    expect(ids).not.toContain('12321');
  });

  test('spam goes to the reporting centres and the catch-all 12345 line, not to the other dispute channels', () => {
    const ids = whereToComplain(
      catalogue,
      calendar,
      situation({ issueType: 'SPAM', respondent: null }),
      '2026-11-20',
    ).recommendations.map((r) => r.channel.id);
    expect(ids.sort()).toEqual(['12321', 'gov-12345', 'tencent-110']);
  });

  test(
    'telecom billing: report and news channels never rank above a regulator, even one usable only ' +
      'from a later day or missing information',
    () => {
      const variants: Partial<Situation>[] = [
        { prepared: undefined },
        { prepared: [] },
        { prepared: undefined, contactedBusinessOn: '2026-11-10', businessOutcome: 'NO_REPLY' },
        { contactedBusinessOn: '2026-11-02', businessOutcome: 'UNSATISFIED' },
      ];
      for (const variant of variants) {
        const answer = whereToComplain(catalogue, calendar, situation(variant), '2026-11-22').recommendations;
        const regulators = answer.filter((r) => r.channel.kind === 'REGULATOR' && r.eligibility !== 'NOT_ACCEPTED');
        const reportOrNews = answer.filter((r) => r.channel.standing === 'REPORT' || r.channel.standing === 'NEWS');
        expect(regulators.map((r) => r.channel.id).sort()).toEqual(['gov-12345', 'miit-telecom']);
        expect(reportOrNews.length).toBeGreaterThan(0);
        for (const regulator of regulators)
          for (const other of reportOrNews) expect(regulator.rank).toBeLessThan(other.rank);
      }
    },
  );

  test(
    'telecom billing with nothing ready: the news column is last of those not ruled out, and its ' +
      'STANDING reason says why',
    () => {
      const answer = whereToComplain(catalogue, calendar, situation({ prepared: [] }), '2026-11-22').recommendations;
      const news = answer.find((r) => r.channel.id === 'thepaper-quality')!;
      expect(news.eligibility).toBe('ELIGIBLE');
      expect(news.rank).toBe(answer.filter((r) => r.eligibility !== 'NOT_ACCEPTED').length);
      expect(['REPORT', 'NEWS']).not.toContain(answer[0].channel.standing);
      expect(news.reasons.find((r) => r.code === 'STANDING')!.message.en).toContain(
        'listed after the channels that take up your own dispute',
      );
    },
  );

  test('an e-commerce refund does not bring up the spam, harmful-content or Tencent reporting centres', () => {
    const ids = whereToComplain(
      catalogue,
      calendar,
      situation({ industry: 'ECOMMERCE', issueType: 'REFUND' }),
      '2026-11-20',
    ).recommendations.map((r) => r.channel.id);
    expect(ids).toContain('12315');
    for (const reportingCentre of ['12321', '12377', 'tencent-110']) expect(ids).not.toContain(reportingCentre);
  });

  test(
    'fraud goes to 12377 and Tencent 110 (their sources list fraud), not to the 12321 spam centre ' +
      '(its source does not)',
    () => {
      const ids = whereToComplain(
        catalogue,
        calendar,
        situation({ industry: 'ECOMMERCE', issueType: 'FRAUD' }),
        '2026-11-20',
      ).recommendations.map((r) => r.channel.id);
      expect(ids).toEqual(expect.arrayContaining(['12315', '12377', 'tencent-110']));
      expect(ids).not.toContain('12321');
    },
  );

  test(
    'a channel with a scope limit the situation cannot show (Tencent 110: only WeChat/QQ conduct) ' +
      'says so in a SCOPE_LIMIT reason',
    () => {
      const tencent = recommendationFor(
        'tencent-110',
        situation({ industry: 'ECOMMERCE', issueType: 'FRAUD' }),
        '2026-11-20',
      );
      const limit = tencent.reasons.find((r) => r.code === 'SCOPE_LIMIT')!;
      expect(limit.message.en).toContain('WeChat, QQ');
      expect(limit.message.zh).toContain('微信');
      const miit = recommendationFor('miit-telecom', situation(), '2026-11-20');
      expect(codes(miit)).not.toContain('SCOPE_LIMIT');
    },
  );

  test(
    'a telecom refund: filing with 12315 is flagged as closing the MIIT appeal (Order 35 Art. 11), ' +
      'and the other way round',
    () => {
      const input = situation({ issueType: 'REFUND', contactedBusinessOn: '2026-11-10', businessOutcome: 'NO_REPLY' });
      const national = recommendationFor('12315', input, '2026-11-22');
      const warning = national.reasons.find((r) => r.code === 'FILING_HERE_BARS_OTHERS')!;
      expect(warning.message.en).toContain('MIIT Telecom User Appeal Acceptance Center will then not take it');
      expect(warning.legalBasis.map((reference) => `${reference.version} ${reference.article}`)).toEqual([
        'MIIT Order 35 (2016) Art. 11',
      ]);
      expect(national.nextSteps.at(-1)!.en).toContain('go there instead');
      const miit = recommendationFor('miit-telecom', input, '2026-11-22');
      expect(miit.reasons.find((r) => r.code === 'FILING_HERE_BARS_OTHERS')!.message.en).toContain(
        'National 12315 Platform will then not take it',
      );
      // Publicity platforms count as no proceeding, so they carry no such warning.
      expect(codes(recommendationFor('blackcat', input, '2026-11-22'))).not.toContain('FILING_HERE_BARS_OTHERS');
    },
  );

  test('no bar warning towards a channel that is already ruled out (the MIIT 2-year limit has passed)', () => {
    const input = situation({
      issueType: 'REFUND',
      occurredOn: '2024-05-01',
      contactedBusinessOn: '2024-05-02',
      businessOutcome: 'UNSATISFIED',
    });
    expect(recommendationFor('miit-telecom', input, '2026-11-22').eligibility).toBe('NOT_ACCEPTED');
    const national = recommendationFor('12315', input, '2026-11-22');
    expect(national.eligibility).toBe('ELIGIBLE');
    expect(codes(national)).not.toContain('FILING_HERE_BARS_OTHERS');
  });

  test('a limitation running into an uncovered year gives a provisional fileBy and says so', () => {
    const recommendation = whereToComplain(
      catalogue,
      calendar,
      situation({ industry: 'ECOMMERCE', issueType: 'REFUND' }),
      '2026-11-20',
    ).recommendations.find((r) => r.channel.id === '12315')!;
    expect(recommendation.fileBy).toBe('2029-11-01');
    expect(recommendation.datesProvisional).toBe(true);
    expect(recommendation.reasons.find((r) => r.code === 'LIMITATION_RUNNING')!.message.en).toContain(
      'not yet published',
    );
  });
});

describe('impossible situations are BAD_USER_INPUT with the argument path', () => {
  const run =
    (input: Partial<Situation>, asOf = '2026-11-20') =>
    () =>
      whereToComplain(catalogue, calendar, situation(input), asOf);

  test('a reply before the contact date', () => {
    expect(
      badInput(
        run({ contactedBusinessOn: '2026-11-10', businessOutcome: 'UNSATISFIED', businessRepliedOn: '2026-11-09' }),
      ).argumentPath,
    ).toBe('situation.businessRepliedOn');
  });

  test('a reply date with no contact date', () => {
    expect(badInput(run({ businessOutcome: 'UNSATISFIED', businessRepliedOn: '2026-11-09' })).argumentPath).toBe(
      'situation.contactedBusinessOn',
    );
  });

  test('a reply date with the outcome "no reply"', () => {
    expect(
      badInput(run({ contactedBusinessOn: '2026-11-02', businessOutcome: 'NO_REPLY', businessRepliedOn: '2026-11-09' }))
        .argumentPath,
    ).toBe('situation.businessOutcome');
  });

  test('an event after asOf', () => {
    const error = badInput(run({ occurredOn: '2026-11-21' }));
    expect(error).toEqual(
      expect.objectContaining({
        argumentPath: 'situation.occurredOn',
        expected: 'a date on or before asOf (2026-11-20)',
      }),
    );
  });

  test('a contact with the business before the event', () => {
    expect(badInput(run({ occurredOn: '2026-11-10', contactedBusinessOn: '2026-11-09' })).argumentPath).toBe(
      'situation.contactedBusinessOn',
    );
  });

  test('knowledge of the harm before the event', () => {
    expect(badInput(run({ occurredOn: '2026-11-10', knewOn: '2026-11-09' })).argumentPath).toBe('situation.knewOn');
  });

  test('a negative amount', () => {
    expect(badInput(run({ amount: -1 })).argumentPath).toBe('situation.amount');
  });

  test('an asOf after the calendar’s covered years', () => {
    const error = badInput(run({}, '2027-01-04'));
    expect(error).toEqual(
      expect.objectContaining({
        argumentPath: 'asOf',
        expected: 'a date in a year the holiday calendar covers (2025, 2026)',
      }),
    );
  });

  test('an asOf before the calendar’s covered years', () => {
    expect(badInput(run({ occurredOn: '2024-11-01' }, '2024-12-31')).argumentPath).toBe('asOf');
  });

  test('an unknown channel in alreadyFiledWith', () => {
    expect(badInput(run({ alreadyFiledWith: ['nope'] })).argumentPath).toBe('situation.alreadyFiledWith.0');
  });

  test('a malformed date', () => {
    expect(badInput(run({ occurredOn: '2026-02-30' })).argumentPath).toBe('situation.occurredOn');
  });

  test('the argument path follows the caller’s names (e.g. a case’s fields)', () => {
    const error = badInput(() =>
      whereToComplain(catalogue, calendar, situation({ amount: -5 }), '2026-11-20', {
        situation: 'case',
        asOf: 'asOf',
      }),
    );
    expect(error.argumentPath).toBe('case.amount');
  });
});

/** Arbitrary but possible situations across the covered calendar. */
const FIRST = '2025-01-01';
const LAST = '2026-12-31';
const SPAN = daysBetween(FIRST, LAST);
const CHANNEL_IDS = catalogue.channels.map((channel) => channel.id);
const INFORMATION: InformationItem[] = ['DEMAND', 'FACTS', 'COMPLAINANT_CONTACT', 'COMPLAINANT_NAME', 'EVIDENCE'];

const arbitraryCase = fc
  .record({
    asOfOffset: fc.integer({ min: 0, max: SPAN }),
    eventBack: fc.integer({ min: 0, max: 1500 }),
    knowledgeFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    contactFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    replyFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    outcome: fc.option(fc.constantFrom(...BUSINESS_OUTCOMES), { nil: undefined }),
    industry: fc.constantFrom(...INDUSTRIES),
    issueType: fc.constantFrom(...ISSUE_TYPES),
    amount: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
    region: fc.option(fc.constantFrom('浙江省义乌市', '北京市', 'Yiwu'), { nil: undefined }),
    respondentName: fc.option(fc.constantFrom('某公司', 'Some Shop'), { nil: undefined }),
    prepared: fc.subarray(INFORMATION),
    alreadyBefore: fc.subarray(Object.keys(Proceeding) as (keyof typeof Proceeding)[], { maxLength: 2 }),
    alreadyFiledWith: fc.subarray(CHANNEL_IDS, { maxLength: 2 }),
  })
  .map((raw) => {
    const asOf = addDays(FIRST, raw.asOfOffset);
    const occurredOn = addDays(asOf, -raw.eventBack);
    const between = (from: string, fraction: number) => addDays(from, Math.floor(daysBetween(from, asOf) * fraction));
    const knewOn = raw.knowledgeFraction === undefined ? undefined : between(occurredOn, raw.knowledgeFraction);
    const contactedBusinessOn =
      raw.contactFraction === undefined ? undefined : between(occurredOn, raw.contactFraction);
    const canReply = contactedBusinessOn !== undefined && raw.outcome !== 'NO_REPLY';
    const businessRepliedOn =
      canReply && raw.replyFraction !== undefined ? between(contactedBusinessOn, raw.replyFraction) : undefined;
    const input: Situation = {
      industry: raw.industry,
      issueType: raw.issueType,
      occurredOn,
      knewOn,
      contactedBusinessOn,
      businessOutcome: raw.outcome,
      businessRepliedOn,
      amount: raw.amount,
      region: raw.region,
      respondent: raw.respondentName ? { name: raw.respondentName } : undefined,
      prepared: raw.prepared,
      alreadyBefore: raw.alreadyBefore,
      alreadyFiledWith: raw.alreadyFiledWith,
    };
    return { input, asOf };
  });

describe('properties', () => {
  test('a channel whose "business first" prerequisite is unmet is never ELIGIBLE', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        for (const recommendation of whereToComplain(catalogue, calendar, input, asOf).recommendations) {
          const rule = recommendation.ruleVersion.rules.find((r) => r.kind === 'contactBusinessFirst');
          if (rule?.kind !== 'contactBusinessFirst') continue;
          const unmet =
            input.businessOutcome === 'SATISFIED' ||
            (input.businessOutcome !== 'UNSATISFIED' &&
              (!input.contactedBusinessOn || daysBetween(input.contactedBusinessOn, asOf) <= rule.days));
          if (unmet) expect(recommendation.eligibility).not.toBe('ELIGIBLE');
        }
      }),
      { numRuns: 300 },
    );
  });

  test(
    'a channel barred by a proceeding the situation declares, or by missing required facts, is never ' + 'ELIGIBLE',
    () => {
      fc.assert(
        fc.property(arbitraryCase, ({ input, asOf }) => {
          for (const recommendation of whereToComplain(catalogue, calendar, input, asOf).recommendations) {
            for (const rule of recommendation.ruleVersion.rules) {
              if (rule.kind === 'notAlreadyBefore' && rule.proceedings.some((p) => input.alreadyBefore?.includes(p))) {
                expect(recommendation.eligibility).not.toBe('ELIGIBLE');
              }
              if (
                rule.kind === 'requiredFacts' &&
                rule.items.includes('DEMAND') &&
                !input.prepared?.includes('DEMAND')
              ) {
                expect(recommendation.eligibility).not.toBe('ELIGIBLE');
              }
            }
          }
        }),
        { numRuns: 300 },
      );
    },
  );

  test('a channel with any prerequisite unmet or a non-acceptance ground (by its reasons) is never ELIGIBLE', () => {
    const blocking = [
      'CONTACT_BUSINESS_FIRST',
      'WAITING_FOR_BUSINESS',
      'BUSINESS_RESOLVED',
      'LIMITATION_EXPIRED',
      'LIMITATION_ENDS_BEFORE_ELIGIBLE',
      'ALREADY_BEFORE_OTHER_BODY',
      'INFORMATION_MISSING',
      'REGION_OUT_OF_SCOPE',
    ];
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        for (const recommendation of whereToComplain(catalogue, calendar, input, asOf).recommendations) {
          if (codes(recommendation).some((code) => blocking.includes(code)))
            expect(recommendation.eligibility).not.toBe('ELIGIBLE');
        }
      }),
      { numRuns: 300 },
    );
  });

  test('no report or news channel ranks above a channel that takes up the dispute and is not ruled out', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        const answer = whereToComplain(catalogue, calendar, input, asOf).recommendations;
        const weak = answer.filter((r) => r.channel.standing === 'REPORT' || r.channel.standing === 'NEWS');
        const disputes = answer.filter((r) => r.eligibility !== 'NOT_ACCEPTED' && !weak.includes(r));
        for (const strong of disputes) for (const other of weak) expect(strong.rank).toBeLessThan(other.rank);
        const ruledOut = answer.filter((r) => r.eligibility === 'NOT_ACCEPTED');
        for (const out of ruledOut)
          for (const other of answer)
            if (other.eligibility !== 'NOT_ACCEPTED') expect(other.rank).toBeLessThan(out.rank);
      }),
      { numRuns: 300 },
    );
  });

  test('NOT_YET always carries an eligibleFrom after asOf; other eligibilities carry none', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        for (const recommendation of whereToComplain(catalogue, calendar, input, asOf).recommendations) {
          if (recommendation.eligibility === 'NOT_YET') {
            expect(recommendation.eligibleFrom).not.toBeNull();
            expect(recommendation.eligibleFrom! > asOf).toBe(true);
          } else {
            expect(recommendation.eligibleFrom).toBeNull();
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('an ELIGIBLE channel’s fileBy is on or after asOf', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        for (const recommendation of whereToComplain(catalogue, calendar, input, asOf).recommendations) {
          if (recommendation.eligibility === 'ELIGIBLE' && recommendation.fileBy !== null)
            expect(recommendation.fileBy >= asOf).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('the same input always gives the same answer', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        expect(whereToComplain(catalogue, calendar, structuredClone(input), asOf)).toEqual(
          whereToComplain(catalogue, calendar, input, asOf),
        );
      }),
      { numRuns: 100 },
    );
  });

  test('every reason of every answer has text in both languages', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ input, asOf }) => {
        for (const recommendation of whereToComplain(catalogue, calendar, input, asOf).recommendations) {
          for (const text of [...recommendation.reasons.map((r) => r.message), ...recommendation.nextSteps]) {
            expect(text.zh.length).toBeGreaterThan(1);
            expect(text.en.length).toBeGreaterThan(1);
          }
          expect(recommendation.nextSteps.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});
