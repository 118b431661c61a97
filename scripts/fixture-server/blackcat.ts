import { blackCatSignature } from '../../subgraphs/reputation/sources/blackcat.ts';
import { syntheticBlackCatItem } from './dataset.ts';
import {
  decodePathSegment,
  escapeHtml,
  type FixtureRequest,
  type FixtureSite,
  LAST_MODIFIED,
  paginate,
} from './responses.ts';
import { FaultKind, type FixtureDataset } from './types.ts';

/** The fake Black Cat (tousu.sina.com.cn): the signed feed, the complaint pages, the merchant list. */

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

/** Answers a Black Cat path; false when the path is not one. */
export function serveBlackCat(request: FixtureRequest, site: FixtureSite): boolean {
  const { req, res, url, path, page } = request;
  const { dataset, volume, formats, takeFault, send, applyTransportFault } = site;
  const blackcatFeed = () =>
    volume.blackcat
      ? Array.from({ length: volume.blackcat }, (_, i) => syntheticBlackCatItem(i))
      : dataset.blackcatFeed;
  if (path === '/blackcat/api/index/feed') {
    const fault = takeFault('blackcat', page, null);
    if (applyTransportFault(req, res, fault)) return true;
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
    if (applyTransportFault(req, res, fault)) return true;
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
  return false;
}
