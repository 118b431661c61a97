import { loadHolidayCalendar } from '../../../../platform/calendar/calendar.ts';
import { loadCatalogue } from '../../../../subgraphs/directory/data/load.ts';
import { whereToComplain, type Recommendation } from '../../../../subgraphs/directory/domain/recommend.ts';
import type { Situation } from '../../../../subgraphs/directory/domain/situation.ts';

export const catalogue = loadCatalogue();
export const calendar = loadHolidayCalendar();

/** A situation that satisfies every "required facts" rule except the region one. */
export function situation(overrides: Partial<Situation> = {}): Situation {
  return {
    industry: 'TELECOM',
    issueType: 'BILLING',
    occurredOn: '2026-11-01',
    respondent: { name: '某电信运营商' },
    prepared: ['DEMAND', 'FACTS', 'COMPLAINANT_CONTACT'],
    ...overrides,
  };
}

/** The recommendation for one channel, failing the test when the channel is not in the answer. */
export function recommendationFor(channelId: string, input: Situation, asOf: string): Recommendation {
  const found = whereToComplain(catalogue, calendar, input, asOf).recommendations.find(
    (r) => r.channel.id === channelId,
  );
  if (!found) throw new Error(`channel ${channelId} is not among the recommendations`);
  return found;
}

export const codes = (recommendation: Recommendation) => recommendation.reasons.map((reason) => reason.code);
