import {
  type CrawlContext,
  type DetailOutcome,
  type PageOutcome,
  type PageRequest,
  rawText,
  type SourceAdapter,
} from '../sources/types.ts';

/**
 * Guards around what a source controls: its pages' structure (a field gone from every item) and
 * its parsers (a throw is a malformed page or an invalid detail, never the end of a run).
 */

/**
 * "Required fields vanished across a page": every item on it is invalid and they all lack the
 * same field. One broken record is noise; a whole page missing `cotitle` is a redesign.
 */
export function vanishedField(items: Array<{ kind: string; missingFields?: string[] }>): string | null {
  if (items.length < 2 || items.some((item) => item.kind !== 'invalid')) return null;
  const [first, ...rest] = items.map((item) => item.missingFields ?? []);
  return first.find((field) => rest.every((fields) => fields.includes(field))) ?? null;
}

/**
 * An adapter's parser over a fetched page, which a hostile or broken source controls: whatever it
 * throws becomes a malformed page (counted, skipped, and DEGRADED after several in a row), never
 * an error that ends the run with its buffered records unwritten.
 */
export function parseSafely(
  adapter: SourceAdapter,
  body: string,
  request: PageRequest,
  context: CrawlContext,
): PageOutcome {
  try {
    return adapter.parsePage(body, request, context);
  } catch (error) {
    return {
      kind: 'malformed',
      reason: `the ${adapter.source} page parser failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The same guard around a detail page: a throw makes the detail invalid, so the list's record is kept and retried. */
export function applyDetailSafely(
  adapter: SourceAdapter,
  item: Parameters<NonNullable<SourceAdapter['applyDetail']>>[0],
  body: string,
  context: CrawlContext,
): DetailOutcome {
  try {
    if (!adapter.applyDetail) throw new Error('it has none');
    return adapter.applyDetail(item, body, context);
  } catch (error) {
    return {
      kind: 'invalid',
      reason: `the ${adapter.source} detail parser failed: ${error instanceof Error ? error.message : String(error)}`,
      missingFields: [],
      raw: rawText(body),
    };
  }
}
