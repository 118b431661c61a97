/**
 * The web site (web/, built into web/dist by scripts/build-web.ts) served on the gateway's origin
 * next to /graphql. Files are read and compressed (brotli, gzip) once, on the first request for
 * the site (a gateway that never serves it pays nothing): the site is a few hundred kilobytes.
 * Hashed files under /assets/ are cached for a year; index.html is `no-cache` (revalidated with
 * its ETag), written in the language Accept-Language prefers, and answers every page route so a
 * shared link opens the right page. Every answer carries the site's security headers: a
 * Content-Security-Policy allowing only our own origin (no inline scripts), nosniff, no referrer,
 * and no framing.
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

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

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
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface StaticFile {
  contentType: string;
  etag: string;
  body: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

function compressed(path: string, body: Buffer): StaticFile {
  const extension = extname(path);
  const file: StaticFile = {
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    body,
  };
  if (COMPRESSIBLE.has(extension) && body.length > 512) {
    file.br = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } });
    file.gzip = gzipSync(body, { level: 9 });
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

function readSite(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.startsWith('.'))
        files.set(`/${relative(dir, path).split('\\').join('/')}`, compressed(path, readFileSync(path)));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, file: StaticFile, cacheControl: string): void {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  const [encoding, body] =
    file.br && /\bbr\b/.test(accepted)
      ? ['br', file.br]
      : file.gzip && /\bgzip\b/.test(accepted)
        ? ['gzip', file.gzip]
        : [undefined, file.body];
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
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

/**
 * A handler that answers the site's requests and returns true, or returns false for a request
 * that is not the site's (another path, or a method other than GET and HEAD).
 */
export function createWebAssets(dir: string = WEB_DIST_DIR): WebAssetHandler {
  let site: { files: Map<string, StaticFile>; indexIn: Record<'zh-CN' | 'en', StaticFile | undefined> } | undefined;
  const load = () => {
    const files = readSite(dir);
    const index = files.get('/index.html');
    const english = index && Buffer.from(index.body.toString('utf8').replace('lang="zh-CN"', 'lang="en"'));
    return { files, indexIn: { 'zh-CN': index, en: english && compressed('index.html', english) } };
  };
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname;
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
      res.writeHead(page ? 404 : 503, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : missing);
      return true;
    }
    send(req, res, isPage ? 200 : 404, page, 'no-cache');
    return true;
  };
}
