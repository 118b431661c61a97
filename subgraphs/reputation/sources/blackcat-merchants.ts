import { resolvePublishedEnterprise } from '../domain/entity-resolution.ts';
import { type CrawlContext, isObject, parseJsonBody, rawText, readId } from './types.ts';

/**
 * Black Cat's merchant list (the per-merchant aggregates the site publishes). It is not a source of
 * listing records, so it stays apart from the feed adapter in blackcat.ts.
 */

/** A merchant as the merchant list publishes it (aggregates only; not listing records). */
export interface BlackCatMerchant {
  uid: string;
  name: string;
  enterpriseId: string;
  enterpriseBasis: string;
  validComplaints: number;
  replied: number;
  completed: number;
  evalPoints: number | null;
}

export function parseBlackCatMerchants(
  body: string,
  context: Pick<CrawlContext, 'resolver'>,
): { merchants: BlackCatMerchant[]; invalid: string[] } | { error: string } {
  const decoded = parseJsonBody(body);
  if (!decoded.ok) return { error: decoded.reason };
  const json = decoded.json;
  const result = isObject(json) && isObject(json.result) ? json.result : null;
  const code = result && isObject(result.status) ? String(result.status.code) : null;
  if (code !== '0') return { error: code === null ? 'no result.status.code' : `result.status.code ${code}` };
  const payload = result?.data;
  const lists = isObject(payload) && Array.isArray(payload.lists) ? payload.lists : null;
  if (!lists) return { error: 'no result.data.lists array' };
  const merchants: BlackCatMerchant[] = [];
  const invalid: string[] = [];
  for (const entry of lists) {
    const uid = isObject(entry) ? readId(entry.uid) : null;
    const enterprise =
      isObject(entry) && typeof entry.title === 'string'
        ? resolvePublishedEnterprise(context.resolver, { name: entry.title })
        : null;
    const count = (value: unknown) => (Number.isInteger(Number(value)) && Number(value) >= 0 ? Number(value) : NaN);
    if (!uid || !enterprise || !isObject(entry)) {
      invalid.push(rawText(entry, 1000));
      continue;
    }
    const [validComplaints, replied, completed] = [
      count(entry.valid_amt),
      count(entry.replied_amt),
      count(entry.completed_amt),
    ];
    if ([validComplaints, replied, completed].some(Number.isNaN)) {
      invalid.push(rawText(entry, 1000));
      continue;
    }
    const points =
      entry.eval_points === null || entry.eval_points === undefined || entry.eval_points === ''
        ? NaN
        : Number(entry.eval_points);
    merchants.push({
      uid,
      name: enterprise.displayName,
      enterpriseId: enterprise.id,
      enterpriseBasis: enterprise.basis,
      validComplaints,
      replied,
      completed,
      evalPoints: Number.isFinite(points) ? points : null,
    });
  }
  return { merchants, invalid };
}
