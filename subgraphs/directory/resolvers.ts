import type { GraphQLResolverMap } from '@apollo/subgraph';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isCovered, type HolidayCalendar } from '../../platform/calendar/calendar.ts';
import { chinaDateOf, isIsoDate } from '../../platform/calendar/dates.ts';
import type { RequestContext } from '../../platform/context.ts';
import { badUserInput, ErrorCode, serviceUnavailable } from '../../platform/errors.ts';
import type { BusinessOutcome, Industry, IssueType } from '../../platform/vocabulary.ts';
import { INDUSTRIES, ISSUE_TYPES } from '../../platform/vocabulary.ts';
import {
  ruleVersionPeriods,
  versionInForce,
  type Catalogue,
  type Channel,
  type Localized,
} from './domain/catalogue.ts';
import { whereToComplain } from './domain/recommend.ts';
import { timeLimitDeadlines } from './domain/time-limit-deadlines.ts';
import { channelsForIndustry, searchChannels, type ChannelFilter } from './domain/search.ts';
import type { Situation } from './domain/situation.ts';
import {
  channelConfidence,
  deadlineView,
  requiredInformationView,
  ruleVersionView,
  recommendationView,
  ruleView,
  timeLimitView,
} from './domain/views.ts';

export interface DirectoryDependencies {
  catalogue: Catalogue;
  calendar: HolidayCalendar;
  /** Today's date in China; the only place the directory reads the clock. */
  today?: () => string;
}

function invalidDate(value: unknown): GraphQLError {
  return new GraphQLError(`Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}.`, {
    extensions: { code: ErrorCode.BadUserInput, expected: 'a date written YYYY-MM-DD' },
  });
}

/** `Date`: a calendar day, YYYY-MM-DD, serialised as a string. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD (China Standard Time unless stated).',
  serialize: (value) => {
    if (!isIsoDate(value)) throw invalidDate(value);
    return value;
  },
  parseValue: (value) => {
    if (!isIsoDate(value)) throw invalidDate(value);
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isIsoDate(ast.value))
      throw invalidDate(ast.kind === Kind.STRING ? ast.value : ast.kind);
    return ast.value;
  },
});

/** The facts a case brings with it through `@requires`; a case always has its respondent, facts and demands. */
interface CaseFacts {
  id: string;
  industry: Industry;
  issueType: IssueType;
  occurredOn: string;
  amount: number;
  contactedBusinessOn?: string | null;
  businessOutcome?: BusinessOutcome | null;
  businessRepliedOn?: string | null;
  escalatedTo?: { id: string }[] | null;
}

export function createDirectoryResolvers(dependencies: DirectoryDependencies): GraphQLResolverMap<RequestContext> {
  const { catalogue, calendar } = dependencies;
  const today = dependencies.today ?? (() => chinaDateOf(new Date()));
  const versionToday = (channel: Channel) => versionInForce(channel, today());
  /**
   * The day to judge on. An explicit `asOf` outside the calendar is the caller's mistake (BAD_USER_INPUT,
   * raised by the engine); today outside it means our holiday data is out of date, which is ours.
   */
  const judgementDay = (asOf: string | null | undefined): string => {
    if (asOf) return asOf;
    const day = today();
    if (!isCovered(calendar, day)) {
      throw serviceUnavailable(
        'directory',
        `The holiday calendar does not cover ${day.slice(0, 4)} yet, so today's deadlines cannot be ` +
          `computed; pass asOf or try again once the calendar is updated.`,
      );
    }
    return day;
  };

  return {
    Date: DateScalar,
    Localized: {
      zhCN: (text: Localized | { zhCN: string }) => ('zhCN' in text ? text.zhCN : text.zh),
    },
    Query: {
      channel: (_: unknown, { id }: { id: string }) => catalogue.byId.get(id) ?? null,
      channels: (_: unknown, { filter }: { filter?: ChannelFilter | null }) => searchChannels(catalogue, filter ?? {}),
      whereToComplain: (_: unknown, { situation, asOf }: { situation: Situation; asOf?: string | null }) =>
        whereToComplain(catalogue, calendar, situation, judgementDay(asOf)).recommendations.map(recommendationView),
    },
    Channel: {
      __resolveReference: (reference: { id: string }) => catalogue.byId.get(reference.id) ?? null,
      scope: (channel: Channel) => ({
        industries: channel.scope.industries === 'ALL' ? INDUSTRIES : channel.scope.industries,
        allIndustries: channel.scope.industries === 'ALL',
        issueTypes: channel.scope.issueTypes === 'ALL' ? ISSUE_TYPES : channel.scope.issueTypes,
        allIssueTypes: channel.scope.issueTypes === 'ALL',
        note: channel.scope.note ?? null,
      }),
      publishesResults: (channel: Channel) => channel.publishesResults.value,
      publishesResultsConfidence: (channel: Channel) => channel.publishesResults.confidence,
      ruleVersion: (channel: Channel, { asOf }: { asOf?: string | null }) => {
        const version = versionInForce(channel, asOf ?? today());
        return version ? ruleVersionView(version) : null;
      },
      ruleVersions: (channel: Channel) => channel.ruleVersions.map(ruleVersionView),
      requiredInformation: (channel: Channel) => {
        const version = versionToday(channel);
        return version ? version.requiredInformation.map((info) => requiredInformationView(version, info)) : [];
      },
      timeLimits: (channel: Channel) => {
        const version = versionToday(channel);
        return version ? version.timeLimits.map((limit) => timeLimitView(version, limit)) : [];
      },
      prerequisites: (channel: Channel) => {
        const version = versionToday(channel);
        return version ? version.rules.map((rule) => ruleView(version, rule)) : [];
      },
      legalBasis: (channel: Channel) => versionToday(channel)?.legalBasis ?? [],
      deadlines: (channel: Channel, { from }: { from: string }) => {
        // Working-day answers need the holiday calendar from the first day on; an empty or dateless
        // answer would look like "no time limits".
        if (!isCovered(calendar, from))
          throw badUserInput(
            'from',
            `a date in a year the holiday calendar covers (${calendar.coveredYears.join(', ')})`,
            from,
          );
        const version = versionInForce(channel, from);
        if (!version)
          throw badUserInput(
            'from',
            `a date the directory holds this channel's rules for (${ruleVersionPeriods(channel)})`,
            from,
          );
        return timeLimitDeadlines(calendar, version, from).map((deadline) => deadlineView(version, deadline));
      },
      sources: (channel: Channel) =>
        channel.sources.map((source) => ({ title: source.title, url: source.url ?? null, note: source.note ?? null })),
      confidence: (channel: Channel) => channelConfidence(channel, versionToday(channel)),
    },
    ChannelRule: {
      otherChannels: (rule: { otherChannelIds: readonly string[] | null }) =>
        rule.otherChannelIds?.map((id) => catalogue.byId.get(id)).filter((channel) => channel !== undefined) ?? null,
    },
    Enterprise: {
      // Each candidate has one owner: the shareable `industry` may be fetched from either subgraph, and
      // each knows only the businesses its own data mentions.
      channels: (enterprise: { id: string; listedIndustry?: Industry | null; caseIndustry?: Industry | null }) =>
        channelsForIndustry(catalogue, enterprise.listedIndustry ?? enterprise.caseIndustry ?? null),
    },
    Case: {
      escalationOptions: (facts: CaseFacts, { asOf }: { asOf?: string | null }) => {
        // The case's dates are recorded facts; an asOf before them is the caller's argument at fault.
        const latest = [facts.occurredOn, facts.contactedBusinessOn, facts.businessRepliedOn]
          .filter((date): date is string => Boolean(date))
          .sort()
          .at(-1);
        if (asOf && latest && asOf < latest)
          throw badUserInput('asOf', `a date on or after the case's last recorded event (${latest})`, asOf);
        return whereToComplain(
          catalogue,
          calendar,
          {
            industry: facts.industry,
            issueType: facts.issueType,
            occurredOn: facts.occurredOn,
            amount: facts.amount,
            contactedBusinessOn: facts.contactedBusinessOn ?? null,
            businessOutcome: facts.businessOutcome ?? null,
            businessRepliedOn: facts.businessRepliedOn ?? null,
            // Only ids the directory knows; the cases subgraph restricts escalations to them anyway.
            alreadyFiledWith: (facts.escalatedTo ?? [])
              .map((channel) => channel.id)
              .filter((id) => catalogue.byId.has(id)),
            prepared: ['RESPONDENT_NAME', 'DEMAND', 'FACTS', 'COMPLAINANT_NAME', 'COMPLAINANT_CONTACT'],
          },
          judgementDay(asOf),
          { situation: 'case', asOf: 'asOf' },
        ).recommendations.map(recommendationView);
      },
    },
  } as GraphQLResolverMap<RequestContext>;
}
