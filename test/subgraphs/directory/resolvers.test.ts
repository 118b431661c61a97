import type { GraphQLError } from 'graphql';
import { createDirectoryResolvers } from '../../../subgraphs/directory/resolvers.ts';
import { calendar, catalogue } from './domain/fixtures.ts';

type Resolver = (parent: unknown, args: Record<string, unknown>) => unknown;

function resolversOn(today: string) {
  const resolvers = createDirectoryResolvers({ catalogue, calendar, today: () => today }) as unknown as Record<
    string,
    Record<string, Resolver>
  >;
  return resolvers;
}

const situation = {
  industry: 'ECOMMERCE',
  issueType: 'REFUND',
  occurredOn: '2026-11-01',
  respondent: { name: '某店' },
  prepared: ['DEMAND', 'FACTS'],
};

function errorOf(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('directory resolvers and the clock', () => {
  test('without asOf, whereToComplain judges on today in China', () => {
    const answer = resolversOn('2026-11-20').Query.whereToComplain(null, { situation }) as {
      fileBy: string | null;
      channel: { id: string };
    }[];
    expect(answer.find((r) => r.channel.id === '12315')!.fileBy).toBe('2029-11-01');
  });

  test('when today is past the holiday calendar, the answer is SERVICE_UNAVAILABLE, not a wrong date', () => {
    const error = errorOf(() => resolversOn('2027-01-04').Query.whereToComplain(null, { situation }));
    expect(error.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.message).toContain('does not cover 2027');
  });

  test('an explicit asOf outside the calendar stays the caller’s BAD_USER_INPUT', () => {
    const error = errorOf(() =>
      resolversOn('2026-11-20').Query.whereToComplain(null, { situation, asOf: '2027-01-04' }),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'asOf' });
  });

  test('Case.escalationOptions reports the case field that is impossible', () => {
    const facts = { id: 'c1', industry: 'TELECOM', issueType: 'BILLING', occurredOn: '2026-11-10', amount: -3 };
    const error = errorOf(() => resolversOn('2026-11-20').Case.escalationOptions(facts, {}));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'case.amount' });
  });

  test('the deadline calculator refuses a from date outside the holiday calendar, naming `from`', () => {
    const error = errorOf(() =>
      resolversOn('2026-11-20').Channel.deadlines(catalogue.byId.get('miit-telecom'), { from: '2027-03-01' }),
    );
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentPath: 'from',
      expected: 'a date in a year the holiday calendar covers (2025, 2026)',
    });
  });

  test(
    'the deadline calculator refuses a from date before the channel’s earliest rules instead of ' +
      'answering an empty list',
    () => {
      const before = resolversOn('2026-11-20');
      const channel = {
        ...catalogue.byId.get('12315')!,
        ruleVersions: catalogue.byId
          .get('12315')!
          .ruleVersions.map((version, index) => (index === 0 ? { ...version, validFrom: '2025-06-01' } : version)),
      };
      const error = errorOf(() => before.Channel.deadlines(channel, { from: '2025-05-31' }));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'from' });
      expect(error.message).toContain('2025-06-01');
      expect((before.Channel.deadlines(channel, { from: '2025-06-02' }) as unknown[]).length).toBeGreaterThan(0);
    },
  );

  test('Channel.ruleVersion without asOf follows today: Order 20 before 2026-04-15, Order 121 from it', () => {
    const channel = catalogue.byId.get('12315');
    expect((resolversOn('2026-04-14').Channel.ruleVersion(channel, {}) as { id: string }).id).toBe('samr-order-20');
    expect((resolversOn('2026-04-15').Channel.ruleVersion(channel, {}) as { id: string }).id).toBe('samr-order-121');
  });
});
