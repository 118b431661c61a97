import type { FixtureRequest, FixtureSite } from './responses.ts';

/** The fake Weiquan cases subgraph: the `publishedCases` connection our own published results come from. */

/** Answers the published-cases GraphQL call; false when the request is not one. */
export function serveWeiquanCases(request: FixtureRequest, site: FixtureSite): boolean {
  const { req, res, path, body } = request;
  const { dataset, takeFault, send, applyTransportFault } = site;
  if (path === '/cases/graphql' && req.method === 'POST') {
    const fault = takeFault('weiquan', null, null);
    if (applyTransportFault(req, res, fault)) return true;
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
  return false;
}
