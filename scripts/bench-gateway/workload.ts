/**
 * The operation mix of the gateway benchmark: what an app sends, each operation with its own
 * variables so that no gateway can answer from one repeated document. Also the one anonymous
 * request repeated identically, where merging identical in-flight fetches is legitimate.
 */
import { addDays } from '../../platform/calendar/index.ts';
import { BUSINESS_OUTCOMES, INDUSTRIES, ISSUE_TYPES } from '../../platform/vocabulary.ts';
import { seededRandom } from '../seeded-random.ts';

export interface BenchRequest {
  /** The operation's name, for the per-operation counts of the capture. */
  name: string;
  body: string;
  authorization?: string;
}

/** The README's `CaseOverview`. */
export const CASE_OVERVIEW = `query CaseOverview($id: ID!) {
  case(id: $id) {
    reference status deadlines { acceptBy respondBy } overdue
    respondent {
      name
      reputation(window: LAST_90_DAYS) { complaints completionRate wilsonScore rank { position outOf } }
    }
    escalationOptions { channel { id name { zhCN en } } eligibility eligibleFrom }
  }
}`;

export const PUBLISHED_CASES = `query PublishedCases($first: Int!, $since: DateTime) {
  publishedCases(first: $first, publishedSince: $since) {
    edges { node { reference title respondent {
      name reputation { complaints completionRate wilsonScore } channels { id }
    } } }
  }
}`;

export const WHERE_TO_COMPLAIN = `query WhereToComplain($situation: SituationInput!, $asOf: Date) {
  whereToComplain(situation: $situation, asOf: $asOf) {
    rank channel { id name { zhCN en } } eligibility eligibleFrom fileBy nextSteps { en }
  }
}`;

export const RANKINGS = `query Rankings(
  $industry: Industry!, $window: ReputationWindow!, $metric: RankingMetric!, $order: RankingOrder!, $first: Int!
) {
  rankings(industry: $industry, window: $window, metric: $metric, order: $order, minComplaints: 5, first: $first) {
    edges { node { position tie name enterprise { id } figures { complaints completionRate wilsonScore } } }
    methodology { formula minComplaints dataFreshAsOf }
  }
}`;

/** The issue's measured query, sent identically and anonymously (three fetches: cases, reputation, directory). */
export const IDENTICAL_ANONYMOUS: BenchRequest = {
  name: 'PublishedCasesIdentical',
  body: JSON.stringify({
    query:
      '{ publishedCases(first: 10) { edges { node { reference title respondent { name ' +
      'reputation { complaints completionRate wilsonScore } channels { id } } } } } }',
  }),
};

const WINDOWS = ['LAST_30_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS'];
const METRICS = ['WILSON_SCORE', 'COMPLETION_RATE', 'COMPLAINTS'];
const ORDERS = ['BEST_FIRST', 'WORST_FIRST'];

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

/**
 * `size` requests, a quarter of each kind, interleaved. Cases come from the seeded sample with
 * their complainants, each sending the access token it signed in with (`tokens`, by account id).
 */
export function distinctMix(
  size: number,
  sample: Array<{ id: string; complainantId: string }>,
  tokens: ReadonlyMap<string, string>,
): BenchRequest[] {
  const random = seededRandom(11);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const tokenOf = (id: string) => {
    const token = tokens.get(id);
    if (!token) throw new Error(`no access token for the complainant ${id}`);
    return token;
  };
  const requests: BenchRequest[] = [];
  for (let i = 0; i < size; i++) {
    const kind = i % 4;
    if (kind === 0) {
      const chosen = sample[Math.floor(random() * sample.length)];
      requests.push({
        name: 'CaseOverview',
        body: body(CASE_OVERVIEW, { id: chosen.id }),
        authorization: `Bearer ${tokenOf(chosen.complainantId)}`,
      });
    } else if (kind === 1) {
      const since = new Date(Date.parse('2025-06-01T00:00:00Z') + Math.floor(random() * 500) * 86_400_000);
      requests.push({
        name: 'PublishedCases',
        body: body(PUBLISHED_CASES, { first: 5 + Math.floor(random() * 16), since: since.toISOString() }),
      });
    } else if (kind === 2) {
      const occurredOn = addDays('2026-09-01', Math.floor(random() * 60));
      const contacted = random() < 0.7;
      requests.push({
        name: 'WhereToComplain',
        body: body(WHERE_TO_COMPLAIN, {
          situation: {
            industry: pick(INDUSTRIES),
            issueType: pick(ISSUE_TYPES),
            occurredOn,
            amount: Math.round(random() * 2000),
            ...(contacted ? { contactedBusinessOn: addDays(occurredOn, 1 + Math.floor(random() * 10)) } : {}),
            ...(contacted ? { businessOutcome: pick(BUSINESS_OUTCOMES) } : {}),
          },
          asOf: addDays(occurredOn, 15 + Math.floor(random() * 30)),
        }),
      });
    } else {
      requests.push({
        name: 'Rankings',
        body: body(RANKINGS, {
          industry: pick(INDUSTRIES),
          window: pick(WINDOWS),
          metric: pick(METRICS),
          order: pick(ORDERS),
          first: 5 + Math.floor(random() * 16),
        }),
      });
    }
  }
  return requests;
}
