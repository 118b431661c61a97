import type { EnterpriseResolver } from '../../../platform/enterprise/identity.ts';
import type { ListingRecord, ListingSource } from '../domain/listing.ts';

/**
 * The contract between the ingestion pipeline and one source. An adapter knows its URLs and its
 * formats; it does no I/O itself (the pipeline fetches), so each adapter is tested on fixture text.
 */

/** One HTTP request the pipeline should make for the adapter. */
export interface PageRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** 1-based position in the crawl, for progress, evidence and --max-pages. */
  page: number;
  /**
   * What identifies the page across runs when the URL does not (a signed URL changes with every
   * request): stored validators are keyed by it. Defaults to the URL.
   */
  key?: string;
}

export interface CrawlContext {
  baseUrl: string;
  resolver: EnterpriseResolver;
  /** Records created (or published) before this instant are already held: stop when past it. */
  since: number | null;
  /** A credential a person obtained for this source (the 12315 regional token); null when none. */
  credential?: string | null;
  /** Clock and randomness of signed requests (Black Cat); injectable so tests are deterministic. */
  now?: () => number;
  random?: () => number;
}

/** One item of a page, after validation. */
export type ParsedItem =
  | {
      kind: 'record';
      record: ListingRecord;
      /** A detail page that adds facts (reply/completion times), fetched when the record is new or changed. */
      detail: PageRequest | null;
    }
  | {
      kind: 'needs-detail';
      externalId: string;
      /** Hash of the list item: unchanged list item + unchanged detail = nothing to do. */
      raw: unknown;
      detail: PageRequest;
    }
  | {
      kind: 'invalid';
      externalId: string | null;
      reason: string;
      /** Required fields absent from the item (drives structure-change detection). */
      missingFields: string[];
      raw: string;
    };

export type PageOutcome =
  | {
      kind: 'items';
      items: ParsedItem[];
      next: PageRequest | null;
      /** The source said this page holds records (pager, totals): zero parsed records is then a structure change. */
      expectItems: boolean;
      /** Newest progress instant on the page (createdAt or publishedAt, epoch ms), kept as the checkpoint. */
      progress: number | null;
      /** Why the feed ends here when the source said so (Black Cat code 10019: no such page). */
      endReason?: string;
    }
  | { kind: 'login-required'; code: string; message: string }
  /** The page could not be read at all (truncated JSON, an error envelope): it fails, the crawl goes on. */
  | { kind: 'malformed'; reason: string }
  /** The page parsed but its shape is not the one we know: the source is flagged DEGRADED. */
  | { kind: 'structure-changed'; reason: string; sample: string };

export type DetailOutcome =
  | { kind: 'record'; record: ListingRecord }
  /** The page only points at where the facts are (21CN: a key for a JSON call): fetch that once. */
  | { kind: 'follow'; request: PageRequest }
  | { kind: 'invalid'; reason: string; missingFields: string[]; raw: string };

export interface SourceAdapter {
  source: ListingSource;
  /** Whether robots.txt applies (false only for our own API). */
  checkRobots: boolean;
  /** How far before the checkpoint a crawl re-reads, to catch status changes of recent records. */
  overlapMs: number;
  /**
   * Whether a list page that has not changed (304) means its records have not changed. False when
   * a record's state is published on its detail page only (21CN): list pages are then always read.
   */
  listCarriesState: boolean;
  /**
   * A reason not to crawl at all, decided before any request: 12315 without a token a person
   * obtained is LOGIN_REQUIRED, with a message saying how to provide one.
   */
  precondition?(context: CrawlContext): { kind: 'login-required'; code: string; message: string } | null;
  /**
   * HTTP statuses that end the crawl at once, with the reason recorded (Black Cat answers 456 to
   * an address it has banned: the next page must not be asked for).
   */
  haltOnHttpStatus?: Readonly<Record<number, string>>;
  firstPage(context: CrawlContext): PageRequest;
  /** The same page asked for again now (a signed request gets a fresh signature). */
  refresh?(request: PageRequest, context: CrawlContext): PageRequest;
  parsePage(body: string, request: PageRequest, context: CrawlContext): PageOutcome;
  /** The page after a failed one, when the source numbers its pages (null: stop). */
  skipPage(failed: PageRequest, context: CrawlContext): PageRequest | null;
  /** Completes a `needs-detail` item, or enriches a record, from its detail page. */
  applyDetail?(
    item: { externalId: string; raw: unknown; record: ListingRecord | null },
    body: string,
    context: CrawlContext,
  ): DetailOutcome;
}

/** An item excerpt small enough to keep as quarantine evidence. */
export function rawText(value: unknown, limit = 20_000): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch (error) {
    // Nested deeper than the stack allows: evidence says so instead of failing the page.
    text = `[not printable: ${error instanceof Error ? error.message : String(error)}]`;
  }
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/**
 * One item of a page, normalised on its own: a throw while reading it (an id that does not
 * encode, a value nested too deep to hash) makes it an invalid item, quarantined with the reason,
 * so one hostile item never costs the page the good items beside it.
 */
export function itemSafely(value: unknown, normalise: () => ParsedItem): ParsedItem {
  try {
    return normalise();
  } catch (error) {
    return {
      kind: 'invalid',
      externalId: null,
      reason: `the item could not be read: ${error instanceof Error ? error.message : String(error)}`,
      missingFields: [],
      raw: rawText(value),
    };
  }
}

/** A fetched body as JSON, or why it is not JSON (the page is then reported malformed). */
export function parseJsonBody(body: string): { ok: true; json: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, json: JSON.parse(body) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty id from a string or a number. */
export function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
}

export function withQuery(base: string, path: string, params: Record<string, string | number>): string {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
  return url.toString();
}

/**
 * A link a source publishes for a listing, resolved against the source's base URL: kept only when
 * it parses and is http(s). A hostile feed can send anything here (`javascript:`, `http://[x`),
 * and the link is served back to every client, so anything else is dropped (null).
 */
export function publishedLink(value: unknown, base: string): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const url = URL.parse(value.trim(), base);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.toString() : null;
}

export function joinUrl(base: string, path: string): string {
  return new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`).toString();
}
