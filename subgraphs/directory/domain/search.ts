import type { Industry, IssueType } from '../../../platform/vocabulary.ts';
import type { Catalogue, Channel, ChannelKind } from './catalogue.ts';
import { channelCoversIndustry, compareByStanding } from './recommend.ts';

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
    .filter((channel) => !filter.issueType || channel.scope.issueTypes === 'ALL' || channel.scope.issueTypes.includes(filter.issueType))
    .filter((channel) => !filter.kind || channel.kind === filter.kind)
    .filter((channel) => !text || [channel.id, channel.name.zh, channel.name.en, ...channel.aliases].some((name) => fold(name).includes(text)))
    .sort(compareByStanding);
}

/** Where to complain about a business of `industry`; null gives the general-purpose channels. */
export function channelsForIndustry(catalogue: Catalogue, industry: Industry | null): Channel[] {
  return catalogue.channels.filter((channel) => channelCoversIndustry(channel, industry)).sort(compareByStanding);
}
