/**
 * The response cache (issue 17): whole answers to anonymous queries of public data that changes
 * only with the catalogue, an ingestion or a publication (the directory's answers, rankings,
 * enterprise figures, the feed of published cases), kept in this process's memory and served
 * before the query is parsed. Built on the runtime's own plugin (`@graphql-yoga/plugin-response-cache`).
 * - Never for a caller with an `authorization` header, whatever it asks: no personal answer is
 *   ever stored or served from here. Anonymous callers see only public data, and an anonymous
 *   answer depends on nothing else of the request.
 * - Only operations whose root fields are in PUBLIC_ROOT_FIELDS and whose every field is served by
 *   the directory, reputation or cases subgraph, of the cases subgraph only what it shows anyone
 *   (PUBLIC_CASES_TYPES and _FIELDS: read from published case rows alone); a field of the accounts
 *   subgraph or any other cases field (a case, an enterprise's cases) leaves the answer uncached.
 * - Each of those subgraphs says at `GET /data-version` when its data may have changed (a hash of
 *   the catalogue files; SQLite's data_version of the reputation store, which every commit moves,
 *   ingestions from other processes included; a counter of the cases store that triggers move with
 *   every write of a published case row, whoever writes it, and nothing else moves). The key holds
 *   those versions and the day in China (windows and "today" move at midnight), and a new version
 *   empties the cache. A version is trusted for `versionMaxAgeMs`: how long an answer may lag a
 *   change made elsewhere (another gateway process, a mutation sent straight to a subgraph, an
 *   import). A mutation through this process is seen at once: when it is done, the next request
 *   checks the versions again. Unknown (a subgraph down, MongoDB, which gives no cheap version):
 *   nothing is cached.
 * - HTTP caches get `Cache-Control: public, no-cache` with the ETag on cacheable answers (they must
 *   revalidate, and get a 304 while nothing changed), `private, no-store` on a signed-in caller's.
 */
import { createHash } from 'node:crypto';
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  BREAK,
  buildASTSchema,
  type DocumentNode,
  type GraphQLField,
  getOperationAST,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { request as undiciRequest } from 'undici';
import { chinaDateOf } from '../platform/calendar/dates.ts';

/** Root fields whose answers are public and follow only the versioned subgraphs' data. */
export const PUBLIC_ROOT_FIELDS = [
  'channel',
  'channels',
  'whereToComplain',
  'rankings',
  'industryReputation',
  'enterprise',
  'searchEnterprises',
  'redBlackList',
  'redBlackSnapshot',
  'redBlackSnapshots',
  'publishedCases',
];
/** The subgraphs whose data versions the cache follows. */
export const VERSIONED_SUBGRAPHS = ['directory', 'reputation', 'cases'] as const;
/**
 * What the cases subgraph shows anonymous callers, all of it read from published case rows, which
 * its data version follows: the feed's types, and an enterprise as its latest published case
 * shows it. Any other field it serves (a case, an enterprise's cases) leaves the answer uncached.
 */
const PUBLIC_CASES_TYPES = new Set(['PublishedCaseConnection', 'PublishedCaseEdge', 'PublishedCase', 'PageInfo']);
const PUBLIC_CASES_FIELDS = new Set([
  'Enterprise.name',
  'Enterprise.industry',
  'Enterprise.caseIndustry',
  'Enterprise.creditCode',
]);
/** Fields of those subgraphs that change with the clock rather than the data. */
const CLOCK_FIELDS = new Set(['ListingSourceStatus.dataAgeSeconds']);
/** An entry nobody asked for in this long is dropped even while its versions hold. */
const ENTRY_TTL_MS = 10 * 60_000;

export interface ResponseCacheOptions {
  supergraphSdl: string;
  /** The `/graphql` URL of each versioned subgraph. */
  subgraphUrls: Record<(typeof VERSIONED_SUBGRAPHS)[number], string>;
  maxEntries: number;
  versionMaxAgeMs: number;
  /** Deadline of one version check. */
  timeoutMs: number;
  now?: () => number;
}

export function useGatewayResponseCache(options: ResponseCacheOptions): GatewayPlugin {
  const isCacheable = cacheableDocuments(options.supergraphSdl);
  const versions = dataVersions(options);
  let store = { version: '', entries: createInMemoryCache({ max: options.maxEntries }) };
  // Requests that may neither read nor fill the cache, and those whose answer is cacheable.
  const bypass = new WeakSet<Request>();
  const cacheable = new WeakSet<Request>();
  const versionOfKey = (key: string) => key.slice(0, key.lastIndexOf('|'));
  const cache: typeof store.entries = {
    // An entry of an earlier version (an answer that was being computed when the version moved,
    // an old ETag) is never served.
    get: (key) => (versionOfKey(key) === store.version ? store.entries.get(key) : undefined),
    set: (key, value, entities, ttl) =>
      versionOfKey(key) === store.version ? store.entries.set(key, value, entities, ttl) : undefined,
    invalidate: (entities) => store.entries.invalidate(entities),
  };
  const plugin = useResponseCache({
    session: () => null,
    enabled: (request) => !bypass.has(request) && !request.headers.has('authorization'),
    cache,
    ttl: ENTRY_TTL_MS,
    invalidateViaMutation: false,
    includeExtensionMetadata: false,
    async buildResponseCacheKey({ documentString, variableValues, operationName, request }) {
      if (
        !request ||
        request.headers.has('authorization') ||
        !isCacheable(documentString, operationName ?? undefined)
      ) {
        if (request) bypass.add(request);
        return '';
      }
      const version = await versions.current();
      if (version === null) {
        bypass.add(request);
        return '';
      }
      if (version !== store.version) {
        store = { version, entries: createInMemoryCache({ max: options.maxEntries }) };
      }
      cacheable.add(request);
      // node:crypto's synchronous hash: the plugin's WebCrypto one cost 1 % of the gateway's CPU in promises.
      const digest = createHash('sha256')
        .update(`${documentString}|${operationName ?? ''}|${JSON.stringify(variableValues ?? {})}`)
        .digest('base64url');
      return `${version}|${digest}`;
    },
  }) as GatewayPlugin;
  return {
    ...plugin,
    // Replaces the plugin's own If-None-Match check, which compared the header with its unquoted
    // ETag as is, and answered 304 for an entry of a version nobody had checked since it changed.
    onRequest({ request, endResponse, fetchAPI }) {
      const header = request.headers.get('if-none-match');
      if (!header || request.headers.has('authorization')) return;
      return versions.current().then((version) => {
        if (version === null || version !== store.version) return;
        for (const tag of entityTagsOf(header)) {
          if (versionOfKey(tag) !== version) continue;
          const entry = store.entries.get(tag) as {
            extensions?: { http?: { headers?: Record<string, string> } };
          } | null;
          if (!entry) continue;
          const lastModified = entry.extensions?.http?.headers?.['Last-Modified'];
          const headers: Record<string, string> = { etag: `"${tag}"`, 'cache-control': 'public, no-cache' };
          if (lastModified) headers['last-modified'] = lastModified;
          endResponse(new fetchAPI.Response(null, { status: 304, headers }));
          return;
        }
      });
    },
    // Read your own writes: once a mutation sent through this process is done, the next request
    // checks the versions again, whatever `versionMaxAgeMs` says.
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      return { onExecuteDone: () => versions.invalidate() };
    },
    onResponse({ request, response }) {
      if (request.headers.has('authorization')) response.headers.set('cache-control', 'private, no-store');
      else if (cacheable.has(request) && (response.status === 200 || response.status === 304)) {
        response.headers.set('cache-control', 'public, no-cache');
        // RFC 9110 §8.8.3: an entity tag is quoted; the plugin sets its cache key bare.
        const etag = response.headers.get('etag');
        if (etag && !etag.startsWith('"') && !etag.startsWith('W/')) response.headers.set('etag', `"${etag}"`);
      }
    },
  };
}

/**
 * The cache keys an `If-None-Match` names: each entity tag of its list, weak (`W/"…"`) or strong
 * (weak comparison, RFC 9110 §13.1.2), unquoted; a bare tag (what this gateway sent before its
 * ETags were quoted) is taken as it is.
 */
function entityTagsOf(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .map((tag) => (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"') ? tag.slice(1, -1) : tag))
    .filter((tag) => tag.length > 0 && tag !== '*');
}

/**
 * The combined data version, today in China first; null while any subgraph's is unknown. A check
 * is shared only by requests that arrived before it was sent, so an answer never predates a change
 * its request followed (with `versionMaxAgeMs` 0). `invalidate` distrusts what is known, and what
 * a check already sent will say, for the requests that come after it.
 */
function dataVersions(options: ResponseCacheOptions): {
  current(): Promise<string | null>;
  invalidate(): void;
} {
  const now = options.now ?? Date.now;
  const urls = VERSIONED_SUBGRAPHS.map((name) => new URL('/data-version', options.subgraphUrls[name]));
  let known: { value: string | null; at: number } | undefined;
  let next: Promise<string | null> | undefined;
  let epoch = 0;
  async function readOne(url: URL): Promise<string | null> {
    const response = await undiciRequest(url, { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return null;
    }
    const { version } = (await response.body.json()) as { version?: unknown };
    return typeof version === 'string' ? version : null;
  }
  async function read(at: number): Promise<string | null> {
    const sentIn = epoch;
    const parts = await Promise.all(urls.map((url) => readOne(url).catch(() => null)));
    const value = parts.includes(null) ? null : [chinaDateOf(new Date(at)), ...parts].join('/');
    if (sentIn === epoch) known = { value, at };
    return value;
  }
  return {
    current() {
      if (known && now() - known.at < options.versionMaxAgeMs) return Promise.resolve(known.value);
      next ??= new Promise((resolve) =>
        setImmediate(() => {
          next = undefined;
          resolve(read(now()));
        }),
      );
      return next;
    },
    invalidate() {
      epoch++;
      known = undefined;
    },
  };
}

/**
 * Whether a query document may be cached: a query (not a mutation or subscription) whose root
 * fields are public and whose every field the versioned subgraphs serve. Decided once per document
 * text (at most 1,000 remembered); a document that does not parse is not cacheable.
 */
function cacheableDocuments(supergraphSdl: string): (document: string, operationName?: string) => boolean {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const graphOf = new Map<string, string>();
  const joinGraph = schema.getType('join__Graph');
  for (const value of joinGraph && 'getValues' in joinGraph ? joinGraph.getValues() : []) {
    const name = value.astNode?.directives
      ?.find((directive) => directive.name.value === 'join__graph')
      ?.arguments?.find((argument) => argument.name.value === 'name')?.value;
    if (name?.kind === Kind.STRING) graphOf.set(value.name, name.value);
  }
  const versioned = new Set<string>(VERSIONED_SUBGRAPHS);
  const publicInCases = (typeName: string, fieldName: string) =>
    PUBLIC_CASES_TYPES.has(typeName) || PUBLIC_CASES_FIELDS.has(`${typeName}.${fieldName}`);
  const graphsOf = (directives: readonly { name: { value: string }; arguments?: readonly unknown[] }[], tag: string) =>
    directives
      .filter((directive) => directive.name.value === tag)
      .map((directive) =>
        (directive.arguments as Array<{ name: { value: string }; value: { kind: string; value?: string } }>)?.find(
          (argument) => argument.name.value === 'graph',
        ),
      )
      .map((argument) => graphOf.get(argument?.value.value ?? ''));
  const servedByVersioned = (typeName: string, field: GraphQLField<unknown, unknown>): boolean => {
    if (CLOCK_FIELDS.has(`${typeName}.${field.name}`)) return false;
    const own = graphsOf(field.astNode?.directives ?? [], 'join__field');
    if (own.length > 0) {
      if (own.includes('cases') && !publicInCases(typeName, field.name)) return false;
      return own.every((graph) => graph !== undefined && versioned.has(graph));
    }
    // A type of the cases subgraph alone (a page of cases, a case's deadlines) must be public.
    const typeGraphs = graphsOf(schema.getType(typeName)?.astNode?.directives ?? [], 'join__type');
    if (typeGraphs.length === 1 && typeGraphs[0] === 'cases') return publicInCases(typeName, field.name);
    // A field every subgraph of its type serves (an entity's key: `Enterprise.id`, `Channel.id`)
    // comes from the subgraph that returned its object; a type in no join directive is a value type's.
    return typeGraphs.length === 0 || typeGraphs.some((graph) => graph !== undefined && versioned.has(graph));
  };
  const decided = new Map<string, boolean>();
  const decide = (documentText: string, operationName?: string): boolean => {
    let document: DocumentNode;
    try {
      document = parse(documentText);
    } catch {
      return false;
    }
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName
      ? operations.find((definition) => definition.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (operation?.operation !== 'query') return false;
    const typeInfo = new TypeInfo(schema);
    let cacheable = true;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          if (node.name.value.startsWith('__')) return;
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field) {
            cacheable = false;
          } else if (parent === schema.getQueryType()) {
            cacheable &&= PUBLIC_ROOT_FIELDS.includes(node.name.value);
          } else {
            cacheable &&= servedByVersioned(parent.name, field);
          }
          if (!cacheable) return BREAK;
        },
      }),
    );
    return cacheable;
  };
  return (documentText, operationName) => {
    const key = `${operationName ?? ''}\n${documentText}`;
    let cacheable = decided.get(key);
    if (cacheable === undefined) {
      cacheable = decide(documentText, operationName);
      if (decided.size >= 1000) decided.clear();
      decided.set(key, cacheable);
    }
    return cacheable;
  };
}
