import type { Config } from '../../../platform/config.ts';
import { ListingSource } from '../domain/listing.ts';
import { blackCatAdapter } from './blackcat.ts';
import { jutousuAdapter } from './jutousu.ts';
import { samr12315Adapter } from './samr12315.ts';
import type { SourceAdapter } from './types.ts';
import { weiquanAdapter } from './weiquan.ts';

export const SOURCE_ADAPTERS: Record<ListingSource, SourceAdapter> = {
  [ListingSource.BlackCat]: blackCatAdapter,
  [ListingSource.Samr12315]: samr12315Adapter,
  [ListingSource.Jutousu]: jutousuAdapter,
  [ListingSource.Weiquan]: weiquanAdapter,
};

/** Where each source lives: configurable so tests and demos point at the local fixture server. */
export function sourceBaseUrl(
  config: Pick<
    Config,
    'SOURCE_BLACKCAT_BASE_URL' | 'SOURCE_12315_BASE_URL' | 'SOURCE_JUTOUSU_BASE_URL' | 'subgraphUrls'
  >,
  source: ListingSource,
): string {
  switch (source) {
    case ListingSource.BlackCat:
      return config.SOURCE_BLACKCAT_BASE_URL;
    case ListingSource.Samr12315:
      return config.SOURCE_12315_BASE_URL;
    case ListingSource.Jutousu:
      return config.SOURCE_JUTOUSU_BASE_URL;
    case ListingSource.Weiquan:
      return config.subgraphUrls.cases;
  }
}

/** The credential a person configured for a source (only 12315 takes one: its token), or null. */
export function sourceCredential(config: Pick<Config, 'SOURCE_12315_TOKEN'>, source: ListingSource): string | null {
  return source === ListingSource.Samr12315 ? (config.SOURCE_12315_TOKEN ?? null) : null;
}

export function isListingSource(value: string): value is ListingSource {
  return (Object.values(ListingSource) as string[]).includes(value);
}
