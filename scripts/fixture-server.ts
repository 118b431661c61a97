import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { blackCatSignature } from '../subgraphs/reputation/sources/blackcat.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * A local stand-in for the public listing sites, for tests, the demo and the benchmark. It serves
 * the hand-written fixtures under test/fixtures/listings (or a synthetic volume of records),
 * paginated like the real sources, with ETag/Last-Modified, and injects faults on request.
 *
 *   node scripts/fixture-server.ts [--port 4010] [--volume 12315=100000]
 */

export type FixtureTarget =
  | 'blackcat'
  | 'blackcat-detail'
  | 'samr12315'
  | 'jutousu'
  | 'jutousu-detail'
  | 'jutousu-content'
  | 'weiquan'
  | 'robots';

export const FaultKind = {
  Http500: 'http500',
  Http429: 'http429',
  /** The socket is destroyed before any answer. */
  Reset: 'reset',
  /** Headers never come. */
  Hang: 'hang',
  /** Headers at once, then one byte every 50 ms for ever. */
  SlowDrip: 'slowDrip',
  /** The JSON body cut in the middle. */
  Truncated: 'truncated',
  /** Same data under other keys / class names: what a site redesign looks like. */
  ChangedStructure: 'changedStructure',
  LoginRequired: 'loginRequired',
  /** Every item on the page lost its merchant / business field. */
  MissingRequiredFields: 'missingRequiredFields',
  /** HTTP 401: the page is for logged-in visitors only. */
  Unauthorized: 'unauthorized',
  /** HTTP 302 to a login page (how Sina answers an anonymous visitor it will not serve). */
  LoginRedirect: 'loginRedirect',
  /** HTTP 403: access denied. */
  Forbidden: 'forbidden',
  /** Black Cat code 10019: the page does not exist. */
  PageNotExist: 'pageNotExist',
  /** HTTP 456: Black Cat's answer to an address it has banned. */
  Banned: 'banned',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

export interface Fault {
  target: FixtureTarget;
  kind: FaultKind;
  /** List page (1-based) the fault applies to; every page when absent. */
  page?: number;
  /** Detail id the fault applies to; every detail when absent. */
  id?: string;
  /** How many requests it applies to; for ever when absent. */
  times?: number;
  retryAfterSeconds?: number;
}

export interface FixtureServerOptions {
  faults?: Fault[];
  host?: string;
  port?: number;
  /** robots.txt body; the default allows everything. */
  robots?: string;
  /** Serve this many synthetic records for a source instead of the fixture files. */
  volume?: Partial<Record<'blackcat' | 'samr12315' | 'jutousu' | 'weiquan', number>>;
  /** Which Black Cat pager form to answer with (default `amount`: no `next`, as recent scrapers see it). */
  blackcatPager?: 'next' | 'amount';
  /** Which 21CN list form to answer with (default `message`, as scrapers see indexPcMorePost answer). */
  jutousuList?: 'message' | 'postList';
}

export interface RequestLogEntry {
  method: string;
  path: string;
  userAgent: string | undefined;
  conditional: boolean;
  status: number;
}

export interface FixtureDataset {
  blackcatFeed: Array<Record<string, unknown>>;
  blackcatTimeline: Record<string, Array<{ name: string; status: string; date: number; text: string }>>;
  blackcatMerchants: unknown;
  samrRows: Array<Record<string, unknown>>;
  jutousuPosts: Array<Record<string, unknown>>;
  /** Per post id: what `getPostContent` answers for it (`postKey` is the key its page carries). */
  jutousuDetails: Record<
    string,
    {
      postKey: string;
      merchantname: string;
      ctimeStr: string;
      problemLabelList: Array<{ name: string }>;
      shuqiu: string;
      topic: string;
    }
  >;
  publishedCases: Array<Record<string, unknown>>;
}

export interface FixtureServer {
  url: string;
  baseUrls: { blackcat: string; samr12315: string; jutousu: string; weiquan: string };
  /** Mutable: tests change upstream data (a status moving from replied to completed) between runs. */
  dataset: FixtureDataset;
  /** Mutable knobs of the served formats (see FixtureServerOptions). */
  formats: { blackcatPager: 'next' | 'amount'; jutousuList: 'message' | 'postList' };
  requests: RequestLogEntry[];
  setFaults(faults: Fault[]): void;
  setRobots(body: string): void;
  close(): Promise<void>;
}

/** The token the fixture 12315 site accepts (the real one comes from a person, after a captcha). */
export const FIXTURE_12315_TOKEN = 'fixture-token';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/listings/', import.meta.url));
const LAST_MODIFIED = 'Mon, 19 Jan 2026 00:00:00 GMT';

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(FIXTURES + path, 'utf8')) as T;
}

export function loadFixtureDataset(): FixtureDataset {
  const blackcat = readJson<{ feed: FixtureDataset['blackcatFeed']; timeline: FixtureDataset['blackcatTimeline'] }>(
    'blackcat/feed.json',
  );
  const jutousu = readJson<{ postList: FixtureDataset['jutousuPosts']; details: FixtureDataset['jutousuDetails'] }>(
    'jutousu/posts.json',
  );
  return {
    blackcatFeed: blackcat.feed,
    blackcatTimeline: blackcat.timeline,
    blackcatMerchants: readJson('blackcat/merchants.json'),
    samrRows: readJson<{ rows: FixtureDataset['samrRows'] }>('samr12315/rows.json').rows,
    jutousuPosts: jutousu.postList,
    jutousuDetails: jutousu.details,
    publishedCases: readJson<{ cases: FixtureDataset['publishedCases'] }>('weiquan/published-cases.json').cases,
  };
}

const SYNTHETIC_BUSINESSES = [
  '某某电子商务有限公司',
  '某某网络科技有限公司',
  '某某餐饮管理有限公司',
  '某某通信服务有限公司',
  '某某物流有限公司',
  '某某教育咨询有限公司',
  '某某旅行社有限公司',
  '某某家电销售有限公司',
];
const SYNTHETIC_RESULTS = ['调解成功', '调解成功', '调解成功', '调解不成功', '终止调解', '不予受理'];

/** Synthetic 12315 row `index` (0 = newest). */
export function syntheticSamrRow(index: number): Record<string, unknown> {
  const random = seededRandom(index + 1);
  const region = ['华东', '华南', '华北', '西南', '东北'][index % 5];
  const kind = SYNTHETIC_BUSINESSES[Math.floor(random() * SYNTHETIC_BUSINESSES.length)];
  const business = `${region}${kind.replace('某某', `第${Math.floor(random() ** 3 * 2000)}号`)}`;
  const end = Date.UTC(2026, 0, 20) - index * 37_000;
  const local = new Date(end + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return {
    id: `SYN${String(index).padStart(9, '0')}`,
    entName: business,
    creditNo: '',
    entAddr: '某省某市某区',
    content: `消费者反映商品或服务问题（编号${index}），要求退款或赔偿。`,
    res: SYNTHETIC_RESULTS[Math.floor(random() * SYNTHETIC_RESULTS.length)],
    department: '某市市场监督管理局',
    endtime: local,
  };
}

export function syntheticBlackCatItem(index: number): Record<string, unknown> {
  const random = seededRandom(index + 7);
  const merchant = SYNTHETIC_BUSINESSES[Math.floor(random() * SYNTHETIC_BUSINESSES.length)];
  const sn = String(18000000000 + 1_000_000 - index);
  return {
    sn,
    title: `第${index}号投诉：退款迟迟未到账`,
    summary: '多次联系客服无果。',
    appeal: '退款',
    issue: '退款问题',
    cotitle: `<em>${merchant.replace('某某', `商家${Math.floor(random() ** 3 * 500)}`)}</em>`,
    couid: String(6000000000 + index),
    cost: String(Math.floor(random() * 5000)),
    timestamp: Math.floor(Date.UTC(2026, 0, 20) / 1000) - index * 60,
    status: [3, 4, 4, 6, 7, 7, 8][Math.floor(random() * 7)],
    url: `//tousu.sina.com.cn/complaint/view/${sn}/`,
    upvote_amount: 0,
    evaluate_u: { attitude: 0, process: 0, satisfaction: 0, evalContent: '' },
  };
}

class BadRequest extends Error {}

/** A percent-encoded path segment, or a 400 for one that does not decode (`%E0` alone is not UTF-8). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`path segment "${segment}" is not valid percent-encoded UTF-8`);
  }
}

/** Whether a Black Cat feed request carries ts, rs and the signature computed from them. */
function signedCorrectly(params: URLSearchParams): boolean {
  const ts = params.get('ts');
  const rs = params.get('rs');
  const signature = params.get('signature');
  if (!ts || !rs || !signature) return false;
  const query = {
    type: params.get('type') ?? '',
    pageSize: params.get('page_size') ?? '',
    page: params.get('page') ?? '',
  };
  return blackCatSignature({ ts, rs }, query) === signature;
}

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function localTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000 + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function blackCatDetailHtml(
  main: Record<string, unknown>,
  steps: FixtureDataset['blackcatTimeline'][string],
  changed = false,
): string {
  const list = changed ? 'q-list-v2' : 'ts-q-list';
  const cotitle = String(main.cotitle ?? '').replace(/<[^>]*>/g, '');
  const head = `<head><meta charset="utf-8"><title>${escapeHtml(String(main.title))}_黑猫投诉</title></head>`;
  return `<!DOCTYPE html><html lang="zh-CN">${head}<body>
<ul class="${list}">
<li><label>投诉编号：</label><span>${escapeHtml(String(main.sn))}</span></li>
<li><label>投诉对象：</label><a href="/company/view/${escapeHtml(String(main.couid ?? ''))}">${escapeHtml(cotitle)}</a></li>
<li><label>投诉问题：</label><span>${escapeHtml(String(main.issue ?? ''))}</span></li>
<li><label>投诉要求：</label><span>${escapeHtml(String(main.appeal ?? ''))}</span></li>
<li><label>涉诉金额：</label><span>${escapeHtml(String(main.cost ?? ''))}元</span></li>
</ul>
<div class="ts-d-steplist">
${steps
  .map(
    (step) =>
      `<div class="ts-d-item"><div class="ts-d-user"><span class="u-name">${escapeHtml(step.name)}</span>` +
      `<span class="u-status">${escapeHtml(step.status)}</span><span class="u-date">${localTime(step.date)}</span>` +
      `</div><div class="ts-d-cont"><p>${escapeHtml(step.text)}</p></div></div>`,
  )
  .join('\n')}
</div></body></html>`;
}

function localMinute(epochSeconds: number): string {
  return new Date(epochSeconds * 1000 + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * One list page in the `{message: "<html>"}` form: a `div.ind_list_all` per post, with the
 * selectors public scrapers use (`span.sharetag[tag]`, `span.label a`, `.con_info a`, `dl dt p`,
 * `dd.desc`); the markup around them is reconstructed, not copied.
 */
export function jutousuListHtml(
  posts: Array<Record<string, unknown>>,
  details: FixtureDataset['jutousuDetails'],
  changed = false,
): string {
  const block = changed ? 'list-item-v2' : 'ind_list_all';
  return posts
    .map((post, i) => {
      const id = escapeHtml(String(post.id));
      const merchant = escapeHtml(details[String(post.id)]?.merchantname.replace(/<[^>]*>/g, '') ?? '');
      const when = typeof post.ctime === 'number' ? localMinute(post.ctime) : '';
      const user = escapeHtml(String(post.username ?? ''));
      const topic = escapeHtml(String(post.shortTopic ?? ''));
      const title = escapeHtml(String(post.title ?? ''));
      return (
        `<div class="${block}" id="nn${i}"><div class="ind_ding"><p><span class="label">投诉对象：` +
        `<a href="/merchant/show/id/1">${merchant}</a></span><span class="sharetag" tag="${id}"></span></p></div>\n` +
        `<div class="con_info fll"><dl><dt><p>${when} ${user} 发起投诉</p></dt><dd class="desc">${topic}</dd></dl>` +
        `<a href="/tousu/show/id/${id}" target="_blank">${title}</a></div></div>`
      );
    })
    .join('\n');
}

/** A post's page: only the key of the JSON call that carries its facts (`input#postKeyValue`). */
export function jutousuPostPage(post: Record<string, unknown>, postKey: string, changed = false): string {
  const input = changed ? 'postKeyV2' : 'postKeyValue';
  const head = `<head><meta charset="utf-8"><title>${escapeHtml(String(post.title))} - 聚投诉</title></head>`;
  return `<!DOCTYPE html><html lang="zh-CN">${head}<body>
<div id="app"></div><input type="hidden" id="${input}" value="${escapeHtml(postKey)}">
</body></html>`;
}

function paginate<T>(items: T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const dataset = loadFixtureDataset();
  let faults: Array<Fault & { remaining: number }> = [];
  const setFaults = (list: Fault[]) => {
    faults = list.map((fault) => ({ ...fault, remaining: fault.times ?? Infinity }));
  };
  setFaults(options.faults ?? []);
  let robots = options.robots ?? 'User-agent: *\nAllow: /\n';
  const requests: RequestLogEntry[] = [];
  const volume = options.volume ?? {};
  const formats = {
    blackcatPager: options.blackcatPager ?? 'amount',
    jutousuList: options.jutousuList ?? 'message',
  };
  const open = new Set<ServerResponse>();

  function takeFault(target: FixtureTarget, page: number | null, id: string | null): Fault | null {
    const fault = faults.find(
      (f) =>
        f.target === target &&
        f.remaining > 0 &&
        (f.page === undefined || f.page === page) &&
        (f.id === undefined || f.id === id),
    );
    if (!fault) return null;
    fault.remaining--;
    return fault;
  }

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    type: string,
    fault: Fault | null,
  ) {
    if (fault?.kind === FaultKind.Truncated) body = body.slice(0, Math.floor(body.length / 2));
    const etag = etagOf(body);
    const log: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: req.url ?? '',
      userAgent: req.headers['user-agent'],
      conditional: Boolean(req.headers['if-none-match']),
      status,
    };
    requests.push(log);
    if (fault?.kind === FaultKind.SlowDrip) {
      res.writeHead(200, { 'content-type': type });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (status === 200 && req.headers['if-none-match'] === etag) {
      log.status = 304;
      res.writeHead(304, { etag, 'last-modified': LAST_MODIFIED }).end();
      return;
    }
    res
      .writeHead(status, {
        'content-type': type,
        etag,
        'last-modified': LAST_MODIFIED,
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  }

  /** Faults that replace the answer entirely; true when one was applied. */
  function applyTransportFault(req: IncomingMessage, res: ServerResponse, fault: Fault | null): boolean {
    if (!fault) return false;
    const log = (status: number) =>
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '',
        userAgent: req.headers['user-agent'],
        conditional: Boolean(req.headers['if-none-match']),
        status,
      });
    switch (fault.kind) {
      case FaultKind.Http500:
        log(500);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return true;
      case FaultKind.Http429:
        log(429);
        res.writeHead(429, { 'retry-after': String(fault.retryAfterSeconds ?? 1) }).end();
        return true;
      case FaultKind.Reset:
        log(0);
        req.socket.destroy();
        return true;
      case FaultKind.Hang:
        log(0);
        return true;
      case FaultKind.Unauthorized:
        log(401);
        res
          .writeHead(401, { 'www-authenticate': 'Cookie realm="passport"', 'content-type': 'text/plain' })
          .end('login required');
        return true;
      case FaultKind.LoginRedirect:
        log(302);
        res.writeHead(302, { location: `/passport/login?return=${encodeURIComponent(req.url ?? '/')}` }).end();
        return true;
      case FaultKind.Forbidden:
        log(403);
        res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
        return true;
      case FaultKind.Banned:
        log(456);
        res.writeHead(456, { 'content-type': 'text/html' }).end('<html><body>访问受限</body></html>');
        return true;
      default:
        return false;
    }
  }

  const blackcatFeed = () =>
    volume.blackcat
      ? Array.from({ length: volume.blackcat }, (_, i) => syntheticBlackCatItem(i))
      : dataset.blackcatFeed;

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const path = url.pathname;
    const page = Math.max(1, Number(url.searchParams.get('page') ?? url.searchParams.get('pageNo') ?? 1) || 1);
    if (path === '/robots.txt') {
      if (applyTransportFault(req, res, takeFault('robots', null, null))) return;
      return send(req, res, 200, robots, 'text/plain', null);
    }

    if (path === '/blackcat/api/index/feed') {
      const fault = takeFault('blackcat', page, null);
      if (applyTransportFault(req, res, fault)) return;
      const envelope = (code: number, msg: string, data: object = {}) =>
        JSON.stringify({ result: { status: { code, msg }, timestamp: LAST_MODIFIED, data } });
      if (fault?.kind === FaultKind.LoginRequired)
        return send(req, res, 200, envelope(10017, '请先登录'), 'application/json', fault);
      if (fault?.kind === FaultKind.PageNotExist)
        return send(req, res, 200, envelope(10019, '页面不存在'), 'application/json', fault);
      // The signature is checked as the public scrapers compute it; the answer to a wrong one
      // (code 10001 here) is invented: no public evidence shows what the site says.
      if (!signedCorrectly(url.searchParams))
        return send(req, res, 200, envelope(10001, '签名错误'), 'application/json', null);
      const size = Math.min(50, Number(url.searchParams.get('page_size') ?? 10) || 10);
      const feed = blackcatFeed();
      const pageAmount = Math.min(50, Math.ceil(feed.length / size));
      if (page > Math.max(pageAmount, 1))
        return send(req, res, 200, envelope(10019, '页面不存在'), 'application/json', fault);
      let lists: unknown[] = paginate(feed, page, size).map((main) => ({ main, author: { title: '黑猫用户' } }));
      if (fault?.kind === FaultKind.MissingRequiredFields)
        lists = lists.map((entry) => ({ main: { ...(entry as { main: object }).main, cotitle: undefined } }));
      const pager =
        formats.blackcatPager === 'next'
          ? { current: page, next: page < pageAmount ? page + 1 : 0, page_amount: pageAmount, item_count: feed.length }
          : { current: page, page_amount: pageAmount, item_count: feed.length };
      const data =
        fault?.kind === FaultKind.ChangedStructure ? { items: lists, paging: { current: page } } : { lists, pager };
      return send(req, res, 200, envelope(0, '', data), 'application/json', fault);
    }
    const blackcatDetail = /^\/blackcat\/complaint\/view\/([^/]+)\/?$/.exec(path);
    if (blackcatDetail) {
      const sn = decodePathSegment(blackcatDetail[1]);
      const fault = takeFault('blackcat-detail', null, sn);
      if (applyTransportFault(req, res, fault)) return;
      const main = blackcatFeed().find((item) => String(item.sn) === sn);
      if (!main) return send(req, res, 404, 'not found', 'text/html', null);
      // A complaint published with ?sld= is not found without it (the behaviour issue 14 reports).
      const sld = URL.parse(String(main.url ?? ''), 'https://tousu.sina.com.cn')?.searchParams.get('sld');
      if (sld && url.searchParams.get('sld') !== sld) return send(req, res, 404, 'not found', 'text/html', null);
      const steps = dataset.blackcatTimeline[sn] ?? [
        { name: '黑猫用户', status: '发起', date: Number(main.timestamp), text: '发起投诉' },
        ...(Number(main.status) >= 6
          ? [{ name: '商家', status: '回复', date: Number(main.timestamp) + 7200, text: '已处理' }]
          : []),
        ...(Number(main.status) === 7
          ? [{ name: '黑猫用户', status: '评价', date: Number(main.timestamp) + 86400, text: '满意' }]
          : []),
      ];
      return send(
        req,
        res,
        200,
        blackCatDetailHtml(main, steps, fault?.kind === FaultKind.ChangedStructure),
        'text/html; charset=utf-8',
        fault,
      );
    }
    if (path === '/blackcat/api/company/list')
      return send(req, res, 200, JSON.stringify(dataset.blackcatMerchants), 'application/json', null);

    if (path === '/samr/public-web/complaint/list') {
      const size = Math.min(500, Number(url.searchParams.get('limit') ?? 50) || 50);
      const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
      const fault = takeFault('samr12315', Math.floor(offset / size) + 1, null);
      if (applyTransportFault(req, res, fault)) return;
      // What the site answers to a missing or stale token is not public: 401 and this text are invented.
      if (req.headers.token !== FIXTURE_12315_TOKEN)
        return send(req, res, 401, JSON.stringify({ msg: 'token无效' }), 'application/json', null);
      if (fault?.kind === FaultKind.LoginRequired)
        return send(req, res, 200, JSON.stringify({ code: 401, msg: 'token已过期' }), 'application/json', fault);
      let rows: Array<Record<string, unknown>>;
      let total: number;
      if (volume.samr12315) {
        total = volume.samr12315;
        rows = [];
        for (let i = offset; i < Math.min(total, offset + size); i++) rows.push(syntheticSamrRow(i));
      } else {
        total = dataset.samrRows.length;
        rows = dataset.samrRows.slice(offset, offset + size);
      }
      if (fault?.kind === FaultKind.MissingRequiredFields)
        rows = rows.map(({ entName: _e, creditNo: _c, ...rest }) => rest);
      const payload = fault?.kind === FaultKind.ChangedStructure ? { data: { records: rows } } : { total, rows };
      return send(req, res, 200, JSON.stringify(payload), 'application/json', fault);
    }

    const jutousuList = /^\/21cn\/json\/indexPcMorePost\/order\/ctime\/pageNo\/(\d+)(?:\/offset\/([^/]*))?\/?$/.exec(
      path,
    );
    if (jutousuList) {
      const pageNo = Number(jutousuList[1]);
      const fault = takeFault('jutousu', pageNo, null);
      if (applyTransportFault(req, res, fault)) return;
      if (fault?.kind === FaultKind.LoginRequired)
        return send(req, res, 200, '<html><body>请先登录聚投诉</body></html>', 'text/html; charset=utf-8', fault);
      const size = 5;
      const offset = jutousuList[2] ? decodePathSegment(jutousuList[2]) : null;
      const after = offset === null ? -1 : dataset.jutousuPosts.findIndex((p) => String(p.id) === offset);
      const start = offset === null ? (pageNo - 1) * size : after + 1;
      const postList = after === -1 && offset !== null ? [] : dataset.jutousuPosts.slice(start, start + size);
      let payload: object;
      if (fault?.kind === FaultKind.ChangedStructure) payload = { data: { posts: postList } };
      else if (formats.jutousuList === 'postList') payload = { postList, offset: String(postList.at(-1)?.id ?? '') };
      else payload = { message: jutousuListHtml(postList, dataset.jutousuDetails) };
      return send(req, res, 200, JSON.stringify(payload), 'application/json', fault);
    }
    const jutousuDetail = /^\/21cn\/tousu\/show\/id\/([^/]+)$/.exec(path);
    if (jutousuDetail) {
      const id = decodePathSegment(jutousuDetail[1]);
      const fault = takeFault('jutousu-detail', null, id);
      if (applyTransportFault(req, res, fault)) return;
      const post = dataset.jutousuPosts.find((p) => String(p.id) === id);
      const detail = dataset.jutousuDetails[id];
      if (!post || !detail) return send(req, res, 404, 'not found', 'text/html', null);
      const changed = fault?.kind === FaultKind.ChangedStructure;
      return send(req, res, 200, jutousuPostPage(post, detail.postKey, changed), 'text/html; charset=utf-8', fault);
    }
    const jutousuContent = /^\/21cn\/json\/getPostContent\/postKey\/([^/]+)$/.exec(path);
    if (jutousuContent) {
      const key = decodePathSegment(jutousuContent[1]);
      const entry = Object.entries(dataset.jutousuDetails).find(([, detail]) => detail.postKey === key);
      const fault = takeFault('jutousu-content', null, entry?.[0] ?? null);
      if (applyTransportFault(req, res, fault)) return;
      if (!entry) return send(req, res, 200, JSON.stringify({ post: null }), 'application/json', null);
      const [id, detail] = entry;
      const post = dataset.jutousuPosts.find((p) => String(p.id) === id) ?? {};
      const { postKey: _key, ...facts } = detail;
      const answer = { post: { id, title: post.title, username: post.username, ...facts } };
      return send(req, res, 200, JSON.stringify(answer), 'application/json', fault);
    }

    if (path === '/cases/graphql' && req.method === 'POST') {
      const fault = takeFault('weiquan', null, null);
      if (applyTransportFault(req, res, fault)) return;
      let variables: { first?: number; after?: string | null; publishedSince?: string | null } = {};
      try {
        variables = (JSON.parse(body) as { variables?: typeof variables }).variables ?? {};
      } catch {
        return send(req, res, 400, JSON.stringify({ errors: [{ message: 'bad JSON' }] }), 'application/json', null);
      }
      const since = variables.publishedSince ? Date.parse(variables.publishedSince) : -Infinity;
      const sorted = [...dataset.publishedCases]
        .filter((c) => Date.parse(String(c.publishedAt)) >= since)
        .sort(
          (a, b) =>
            Date.parse(String(a.publishedAt)) - Date.parse(String(b.publishedAt)) ||
            String(a.id).localeCompare(String(b.id)),
        );
      const start = variables.after ? sorted.findIndex((c) => c.id === variables.after) + 1 : 0;
      const first = variables.first ?? 50;
      const slice = sorted.slice(start, start + first);
      const payload = {
        data: {
          publishedCases: {
            edges: slice.map((node) => ({ cursor: String(node.id), node })),
            pageInfo: { hasNextPage: start + first < sorted.length, endCursor: slice.at(-1)?.id ?? null },
          },
        },
      };
      return send(req, res, 200, JSON.stringify(payload), 'application/json', fault);
    }
    send(req, res, 404, 'not found', 'text/plain', null);
  }

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        // A request the fixtures cannot read is the client's fault (400); anything else is ours
        // (500). Either way the server answers and stays up for the next request.
        const bad = error instanceof BadRequest;
        send(req, res, bad ? 400 : 500, bad ? error.message : 'internal error', 'text/plain; charset=utf-8', null);
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrls: {
      blackcat: `${url}/blackcat`,
      samr12315: `${url}/samr/public-web`,
      jutousu: `${url}/21cn`,
      weiquan: `${url}/cases/graphql`,
    },
    dataset,
    formats,
    requests,
    setFaults,
    setRobots: (text) => {
      robots = text;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const FIXTURE_USAGE =
  'Usage: node scripts/fixture-server.ts [--port 0-65535] [--volume blackcat|12315|jutousu|weiquan=N]…';

/** The command line, validated; throws an Error saying what was wrong and what is accepted. */
export function parseFixtureServerArguments(argv: string[]): { port: number; volume: FixtureServerOptions['volume'] } {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', default: '4010' }, volume: { type: 'string', multiple: true, default: [] } },
    strict: true,
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535)
    throw new Error(`--port: expected 0-65535, got "${values.port}".\n${FIXTURE_USAGE}`);
  const volume: Record<string, number> = {};
  const names: Record<string, string> = { blackcat: 'blackcat', '12315': 'samr12315', samr12315: 'samr12315' };
  Object.assign(names, { jutousu: 'jutousu', weiquan: 'weiquan' });
  for (const entry of values.volume) {
    const match = /^([a-z0-9]+)=(\d+)$/.exec(entry);
    const source = match ? names[match[1]] : undefined;
    if (!match || !source)
      throw new Error(`--volume: expected source=count (blackcat, 12315, jutousu, weiquan), got "${entry}".`);
    volume[source] = Number(match[2]);
  }
  return { port, volume };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let args: ReturnType<typeof parseFixtureServerArguments>;
  try {
    args = parseFixtureServerArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const server = await startFixtureServer(args);
  console.log(`Fixture listing server on ${server.url}. Point the sources at it:
  SOURCE_BLACKCAT_BASE_URL=${server.baseUrls.blackcat}
  SOURCE_12315_BASE_URL=${server.baseUrls.samr12315}
  SOURCE_12315_TOKEN=${FIXTURE_12315_TOKEN}
  SOURCE_JUTOUSU_BASE_URL=${server.baseUrls.jutousu}
  CASES_URL=${server.baseUrls.weiquan}   (demo only: the weiquan source then reads fixture cases)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
