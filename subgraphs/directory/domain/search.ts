import type { Industry, IssueType } from '../../../platform/vocabulary.ts';
import { Standing, type Catalogue, type Channel, type ChannelKind } from './catalogue.ts';
import { channelCoversIndustry, compareByStanding } from './channel-scope.ts';

export interface ChannelFilter {
  industry?: Industry | null;
  issueType?: IssueType | null;
  kind?: ChannelKind | null;
  /** Matched, case- and width-insensitively, against names and aliases in both languages. */
  text?: string | null;
}

const fold = (value: string) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Channels matching every given criterion, strongest standing first. */
export function searchChannels(catalogue: Catalogue, filter: ChannelFilter = {}): Channel[] {
  const text = filter.text ? fold(filter.text) : '';
  return catalogue.channels
    .filter((channel) => !filter.industry || channelCoversIndustry(channel, filter.industry))
    .filter(
      (channel) =>
        !filter.issueType || channel.scope.issueTypes === 'ALL' || channel.scope.issueTypes.includes(filter.issueType),
    )
    .filter((channel) => !filter.kind || channel.kind === filter.kind)
    .filter(
      (channel) =>
        !text ||
        [channel.id, channel.name.zh, channel.name.en, ...channel.aliases].some((name) => fold(name).includes(text)),
    )
    .sort(compareByStanding);
}

/** Whether any rule version limits the channel to businesses in one region (a respondentInRegion rule). */
function isRegional(channel: Channel): boolean {
  return channel.ruleVersions.some((version) => version.rules.some((rule) => rule.kind === 'respondentInRegion'));
}

/**
 * Where to complain about a business of `industry`; null gives the general-purpose channels.
 * Channels limited to named businesses are left out. The business's region is not known here, so a channel
 * limited to one region comes after the national channels that take up disputes; report and news channels
 * come last.
 */
export function channelsForIndustry(catalogue: Catalogue, industry: Industry | null): Channel[] {
  const group = (channel: Channel) => (!Standing[channel.standing].takesUpDisputes ? 2 : isRegional(channel) ? 1 : 0);
  // A channel limited to named businesses (one marketplace, airlines) cannot be matched without the name.
  return catalogue.channels
    .filter((channel) => channelCoversIndustry(channel, industry) && !channel.scope.businessNames)
    .sort((a, b) => group(a) - group(b) || compareByStanding(a, b));
}
