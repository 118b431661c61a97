import { decodePathSegment, escapeHtml, type FixtureRequest, type FixtureSite } from './responses.ts';
import { FaultKind, type FixtureDataset } from './types.ts';

/** The fake 21CN 聚投诉 (jutousu): list pages in either form, post pages, and the post-content JSON call. */

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

/** Answers a 21CN path; false when the path is not one. */
export function serveJutousu(request: FixtureRequest, site: FixtureSite): boolean {
  const { req, res, path } = request;
  const { dataset, formats, takeFault, send, applyTransportFault } = site;
  const jutousuList = /^\/21cn\/json\/indexPcMorePost\/order\/ctime\/pageNo\/(\d+)(?:\/offset\/([^/]*))?\/?$/.exec(
    path,
  );
  if (jutousuList) {
    const pageNo = Number(jutousuList[1]);
    const fault = takeFault('jutousu', pageNo, null);
    if (applyTransportFault(req, res, fault)) return true;
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
    if (applyTransportFault(req, res, fault)) return true;
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
    if (applyTransportFault(req, res, fault)) return true;
    if (!entry) return send(req, res, 200, JSON.stringify({ post: null }), 'application/json', null);
    const [id, detail] = entry;
    const post = dataset.jutousuPosts.find((p) => String(p.id) === id) ?? {};
    const { postKey: _key, ...facts } = detail;
    const answer = { post: { id, title: post.title, username: post.username, ...facts } };
    return send(req, res, 200, JSON.stringify(answer), 'application/json', fault);
  }
  return false;
}
