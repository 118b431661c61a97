/**
 * The web site (web/, built into web/dist by scripts/build-web.ts) served on the gateway's origin
 * next to /graphql. Files are read and compressed (brotli, gzip) once, on the first request for
 * the site (a gateway that never serves it pays nothing): the site is a few hundred kilobytes.
 * Hashed files under /assets/ are cached for a year; index.html is `no-cache` (revalidated with
 * its ETag), written in the language Accept-Language prefers, and answers every page route so a
 * shared link opens the right page. Every answer carries the site's security headers: a
 * Content-Security-Policy allowing only our own origin (no inline scripts), nosniff, no referrer,
 * and no framing.
 *
 * GraphiQL (web/graphiql/, built into graphiql.html and assets/graphiql/) is served from here too,
 * at GET /graphql to a client that accepts HTML, unless it is turned off (production): then its
 * page and its files are not served at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

export const WEB_DIST_DIR = fileURLToPath(new URL('../web/dist/', import.meta.url));

/** Paths the gateway answers itself (GraphQL and GraphiQL, health, the forwarded HTTP routes). */
const NOT_SITE_PATHS = ['/graphql', '/healthz', '/readyz', '/evidence', '/export', '/representation-letters'];

/** The site's pages (preact-iso routes in web/src/app/App.tsx); anything else gets index.html with 404. */
const PAGE_ROUTES = [
  /^\/$/,
  /^\/channels(\/[^/]+)?\/?$/,
  /^\/rankings\/?$/,
  /^\/lists\/?$/,
  /^\/sources\/?$/,
  /^\/enterprises\/[^/]+\/?$/,
  /^\/cases\/published\/?$/,
  /^\/desk(\/cases\/[^/]+)?\/?$/,
];

function contentSecurityPolicy(styleSources: string, fontSources = "'self'"): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSources}`,
    "img-src 'self' data:",
    `font-src ${fontSources}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy("'self'"),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * GraphiQL's page: the site's policy, but for styles. Its editor (Monaco) writes its themes (the
 * syntax colours) into <style> elements it creates at run time, which only 'unsafe-inline' admits
 * (it takes no nonce): under 'self' alone the editors lost every colour. Its style sheet embeds
 * its fonts as data: URLs, hence font-src data:. Scripts stay 'self' only: an injected style cannot run code.
 */
export const GRAPHIQL_SECURITY_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'content-security-policy': contentSecurityPolicy("'self' 'unsafe-inline'", "'self' data:"),
};

/** GraphiQL's page in web/dist, and the folder of its files (web/graphiql/vite.config.ts). */
const GRAPHIQL_PAGE = '/graphiql.html';
const GRAPHIQL_ASSETS = '/assets/graphiql/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface StaticFile {
  contentType: string;
  etag: string;
  body: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  /** Compresses the body on the first request that accepts an encoding (GraphiQL's files, below). */
  compressLater?: () => void;
}

/**
 * The site's files are compressed at once at brotli's best quality (they are small); GraphiQL's
 * (7 MB, the Monaco editor) when first asked for and at quality 5: quality 11 took 35 s of CPU for
 * them here, 5 takes under 1 s for a few per cent more bytes.
 */
function compressed(path: string, body: Buffer, when: 'now' | 'later' = 'now'): StaticFile {
  const extension = extname(path);
  const file: StaticFile = {
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    body,
  };
  if (COMPRESSIBLE.has(extension) && body.length > 512) {
    const compress = (quality: number) => {
      file.br = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality } });
      file.gzip = gzipSync(body, { level: 9 });
    };
    if (when === 'now') compress(11);
    else
      file.compressLater = () => {
        file.compressLater = undefined;
        compress(5);
      };
  }
  return file;
}

/** The language the page opens in: English when the client prefers it to Chinese, else Chinese. */
export function preferredLanguage(acceptLanguage: string | undefined): 'zh-CN' | 'en' {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)/.exec(param)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter(({ tag, q }) => (tag.startsWith('zh') || tag.startsWith('en')) && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'zh-CN';
}

/** The built files by URL path; GraphiQL's page and files only `withGraphiql`. */
function readSite(dir: string, withGraphiql: boolean): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.startsWith('.')) {
        const urlPath = `/${relative(dir, path).split('\\').join('/')}`;
        const isGraphiql = urlPath === GRAPHIQL_PAGE || urlPath.startsWith(GRAPHIQL_ASSETS);
        if (isGraphiql && !withGraphiql) continue;
        files.set(urlPath, compressed(path, readFileSync(path), urlPath.startsWith(GRAPHIQL_ASSETS) ? 'later' : 'now'));
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  file: StaticFile,
  cacheControl: string,
  securityHeaders = SECURITY_HEADERS,
): void {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\b(br|gzip)\b/.test(accepted)) file.compressLater?.();
  const [encoding, body] =
    file.br && /\bbr\b/.test(accepted)
      ? ['br', file.br]
      : file.gzip && /\bgzip\b/.test(accepted)
        ? ['gzip', file.gzip]
        : [undefined, file.body];
  const headers: Record<string, string | number> = {
    ...securityHeaders,
    'content-type': file.contentType,
    'cache-control': cacheControl,
    etag: file.etag,
    vary: 'Accept-Encoding, Accept-Language',
  };
  if (status === 200 && req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export type WebAssetHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/** A browser asking for a page (GraphiQL), as opposed to a GraphQL client's GET. */
function acceptsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/**
 * A handler that answers the site's requests (and, with `graphiql`, a browser's GET /graphql)
 * and returns true, or returns false for a request that is not the site's (another path, or a
 * method other than GET and HEAD).
 */
export function createWebAssets(
  dir: string = WEB_DIST_DIR,
  options: { graphiql: boolean } = { graphiql: false },
): WebAssetHandler {
  let site:
    | {
        files: Map<string, StaticFile>;
        indexIn: Record<'zh-CN' | 'en', StaticFile | undefined>;
        graphiql: StaticFile | undefined;
      }
    | undefined;
  const load = () => {
    const files = readSite(dir, options.graphiql);
    const graphiql = files.get(GRAPHIQL_PAGE);
    files.delete(GRAPHIQL_PAGE);
    const index = files.get('/index.html');
    const english = index && Buffer.from(index.body.toString('utf8').replace('lang="zh-CN"', 'lang="en"'));
    return { files, indexIn: { 'zh-CN': index, en: english && compressed('index.html', english) }, graphiql };
  };
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname;
    if (path === '/graphql' && options.graphiql && acceptsHtml(req)) {
      site ??= load();
      if (site.graphiql) send(req, res, 200, site.graphiql, 'no-cache', GRAPHIQL_SECURITY_HEADERS);
      else sendText(req, res, 503, 'GraphiQL is not built: run `npm run build:web`.');
      return true;
    }
    if (NOT_SITE_PATHS.some((reserved) => path === reserved || path.startsWith(`${reserved}/`))) return false;
    site ??= load();
    const { files, indexIn } = site;
    const file = path !== '/index.html' ? files.get(path) : undefined;
    if (file) {
      const immutable = path.startsWith('/assets/');
      send(req, res, 200, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return true;
    }
    const page = indexIn[preferredLanguage(req.headers['accept-language'])];
    const isPage = PAGE_ROUTES.some((route) => route.test(path));
    if (!page || path.startsWith('/assets/') || (extname(path) !== '' && !isPage)) {
      const missing = page ? 'This file does not exist.' : 'The web site is not built: run `npm run build:web`.';
      sendText(req, res, page ? 404 : 503, missing);
      return true;
    }
    send(req, res, isPage ? 200 : 404, page, 'no-cache');
    return true;
  };
}
