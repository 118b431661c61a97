import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { DEMO_ENTERPRISES, seedDemoReputation } from '../../../../subgraphs/reputation/store/rollups-seed.ts';
import { startGraph, type TestGraph } from '../../../support/graph.ts';
import { filing } from '../../cases/fixtures.ts';

let graph: TestGraph;
let db: DatabaseSync;

beforeAll(async () => {
  graph = await startGraph();
  // The running reputation subgraph has this file open too: SQLite in WAL mode lets both work on it.
  db = openSqlite(join(graph.dataDir, 'reputation.db'));
  await seedDemoReputation(db);
});

afterAll(async () => {
  db.close();
  await graph.stop();
});

/** The reputation fields REPUTATION asks for. */
interface Reputation {
  complaints: number;
  completionRate: number;
  wilsonScore: number;
  rank: { position: number; outOf: number; tie: boolean } | null;
}
const REPUTATION = `reputation(window: LAST_90_DAYS) {
  complaints completionRate wilsonScore rank { position outOf tie } }`;

describe('reputation through the gateway', () => {
  test('one query gets a case, its deadlines and its respondent’s reputation and rank from two subgraphs', async () => {
    const token = await graph.tokenFor('complainant', 'user-gateway');
    const occurredOn = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    const submitted = await graph.query<{ submitCase: { id: string } }>(
      'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }',
      {
        input: filing({
          respondent: { name: DEMO_ENTERPRISES[0].name, address: '上海市演示路1号' },
          occurredOn,
          contactedBusinessOn: null,
          businessOutcome: null,
          businessRepliedOn: null,
        }),
      },
      token,
    );
    expect(submitted.errors).toBeUndefined();
    const { data, errors } = await graph.query<{ case: { respondent: { id: string; reputation: Reputation } } }>(
      `query($id: ID!) { case(id: $id) { reference status deadlines { acceptBy respondBy } overdue ` +
        `respondent { id name ${REPUTATION} } } }`,
      { id: submitted.data?.submitCase.id },
      token,
    );
    expect(errors).toBeUndefined();
    const respondent = data!.case.respondent;
    expect(respondent.id).toBe(enterpriseResolver().resolve({ name: DEMO_ENTERPRISES[0].name }).id);
    expect(respondent.reputation.complaints).toBeGreaterThanOrEqual(30);
    expect(respondent.reputation.wilsonScore).toBeLessThanOrEqual(respondent.reputation.completionRate);
    expect(respondent.reputation.rank).toMatchObject({ position: 1, outOf: 3 });
    // The gateway adds nothing and loses nothing: the reputation subgraph reached directly agrees.
    const direct = await graph.query<{ _entities: Array<{ reputation: Reputation }> }>(
      `query($rep: [_Any!]!) { _entities(representations: $rep) { ... on Enterprise { ${REPUTATION} } } }`,
      { rep: [{ __typename: 'Enterprise', id: respondent.id }] },
      undefined,
      graph.urls.reputation,
    );
    expect(direct.data?._entities[0].reputation).toEqual(respondent.reputation);
  });

  test('rankings and search are served through the gateway, with the methodology stated', async () => {
    type Ranked = {
      totalCount: number;
      edges: Array<{ node: { name: string; enterprise: { name: string } } }>;
      methodology: unknown;
    };
    const { data, errors } = await graph.query<{ rankings: Ranked; searchEnterprises: unknown[] }>(
      `{ rankings(industry: TELECOM, window: LAST_365_DAYS) {
           totalCount edges { node { position name enterprise { id name } } }
           methodology { formula period { timeZone } minComplaints tieRule } }
         searchEnterprises(text: "演示速达") { name industry } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.rankings.totalCount).toBe(2);
    expect(data?.rankings.edges[0].node.enterprise.name).toBe(data?.rankings.edges[0].node.name);
    expect(data?.rankings.methodology).toMatchObject({
      minComplaints: 30,
      period: { timeZone: 'Asia/Shanghai (UTC+08:00)' },
    });
    expect(data?.searchEnterprises).toEqual([{ name: '演示速达快递有限公司', industry: 'POSTAL_EXPRESS' }]);
  });

  test('bad ranking input reaches the client as BAD_USER_INPUT with its argument path', async () => {
    const { errors } = await graph.query('{ rankings(industry: TELECOM, first: 1000) { totalCount } }');
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'first' });
  });
});
