import { syntheticSamrRow } from './dataset.ts';
import type { FixtureRequest, FixtureSite } from './responses.ts';
import { FaultKind, FIXTURE_12315_TOKEN } from './types.ts';

/** The fake 12315 platform (SAMR): the token-guarded list of mediated complaints, by offset. */

/** Answers a 12315 path; false when the path is not one. */
export function serveSamr12315(request: FixtureRequest, site: FixtureSite): boolean {
  const { req, res, url, path } = request;
  const { dataset, volume, takeFault, send, applyTransportFault } = site;
  if (path === '/samr/public-web/complaint/list') {
    const size = Math.min(500, Number(url.searchParams.get('limit') ?? 50) || 50);
    const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
    const fault = takeFault('samr12315', Math.floor(offset / size) + 1, null);
    if (applyTransportFault(req, res, fault)) return true;
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
  return false;
}
