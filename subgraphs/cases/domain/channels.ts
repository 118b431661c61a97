import { CHANNEL_IDS, type Industry, type IssueType } from '../../../platform/vocabulary.ts';

/**
 * Where a case could go besides our desk, as directory Channel ids (one catalogue file per id in
 * subgraphs/directory/data/channels/). A hint only: the directory's `Case.escalationOptions`
 * decides eligibility with the full facts.
 */
const BY_INDUSTRY: Partial<Record<Industry, readonly string[]>> = {
  TELECOM: ['miit-telecom', '12315'],
  POSTAL_EXPRESS: ['spb-postal', '12315'],
  INTERNET_SERVICES: ['isc-internet', '12321', '12315'],
  GAMES: ['isc-internet', '12315'],
  ECOMMERCE: ['12315', 'blackcat'],
  // Industries outside market regulation's remit (12315 refuses them) start with their own regulator.
  FINANCE: ['nfra-12378', 'csrc-12386', 'pboc-12363'],
  HEALTHCARE: ['nhc-12320', 'medical-mediation'],
  HOUSING: ['housing-12319', '12315'],
  EDUCATION: ['moe-offcampus', '12315'],
};

const BY_ISSUE: Partial<Record<IssueType, readonly string[]>> = {
  HARMFUL_CONTENT: ['12377'],
  SPAM: ['12321'],
  FRAUD: ['tencent-110'],
};

const GENERAL = ['12315', 'blackcat'] as const;

/** The channel ids the directory's catalogue holds (platform/vocabulary.ts); an escalation must name one of them. */
export const KNOWN_CHANNEL_IDS = CHANNEL_IDS;

export function suggestedChannelIds(industry: Industry, issueType: IssueType): string[] {
  const ids = [...(BY_ISSUE[issueType] ?? []), ...(BY_INDUSTRY[industry] ?? GENERAL)];
  return [...new Set(ids)];
}
