/**
 * The authorisation matrix, generated from the policy table (platform/policy.ts) and the SDL.
 *
 * - Operations: every root operation of every subgraph, called as every kind of caller, through the
 *   gateway and directly at the subgraph that owns it. Arguments are made up from the argument types
 *   (ids that name nothing), so an allowed call answers data, NOT_FOUND or BAD_USER_INPUT, and a
 *   denied one UNAUTHENTICATED or FORBIDDEN.
 * - Fields: every field the table does not mark public, read as every caller on records that belong
 *   to complainant A and the representative of X (a case forwarded to X, with evidence; a pending
 *   representation request; a security event), through the gateway and at the port of the subgraph
 *   that serves it, and every guarded entity through `_entities` at its subgraph's port. What each
 *   caller gets is what the rows along the way promise: any deny refuses, any own needs the record
 *   to be the caller's.
 *
 * A root field, an object field or an entity without a row fails the first tests. The file is past 400
 * lines because both parts share one graph, its records and the callers list.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { loadTypeDefs, SUBGRAPHS, type SubgraphName } from '../../platform/server/sdl.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import { ENTITY_POLICY, FIELD_POLICY, isPublicRow, POLICY, type PolicyRole, type Rule } from '../../platform/policy.ts';
import { AccountRole, RepresentationStatus } from '../../subgraphs/accounts/domain/account.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';
import { createSqliteLetterStore } from '../../subgraphs/accounts/store/letters-sqlite.ts';
import { SecurityEventKind } from '../../subgraphs/accounts/store/accounts.ts';
import { SUPERGRAPH_PATH } from '../../scripts/compose.ts';
import { appKeyHeaders, registerAppKey } from '../support/app-keys.ts';
import {
  guardedFields,
  objectFields,
  outcomeOf,
  probeQuery,
  promised,
  resolvableEntities,
  servingSubgraphs,
  walk,
  type Probe,
} from '../support/authorisation-probes.ts';
import { startGraph, type TestGraph } from '../support/graph.ts';

const supergraph: GraphQLSchema = buildASTSchema(parse(readFileSync(SUPERGRAPH_PATH, 'utf8')), {
  assumeValidSDL: true,
});

/** `Query.me` → the subgraph whose own SDL declares it. */
function owners(): Map<string, SubgraphName> {
  const owner = new Map<string, SubgraphName>();
  for (const name of SUBGRAPHS) {
    for (const definition of loadTypeDefs(name).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      if (definition.name.value !== 'Query' && definition.name.value !== 'Mutation') continue;
      for (const field of definition.fields ?? []) owner.set(`${definition.name.value}.${field.name.value}`, name);
    }
  }
  return owner;
}
const OWNER = owners();

type RootField = { key: string; kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> };
function rootFields(): RootField[] {
  return [supergraph.getQueryType(), supergraph.getMutationType()].flatMap((type) =>
    type
      ? Object.values(type.getFields()).map((field) => ({
          key: `${type.name}.${field.name}`,
          kind: type.name === 'Query' ? ('query' as const) : ('mutation' as const),
          field,
        }))
      : [],
  );
}

const SCALARS: Record<string, unknown> = {
  Int: 1,
  Float: 1.5,
  Boolean: false,
  ID: 'matrix-nothing',
  String: 'matrix',
  Date: '2026-11-01',
  DateTime: '2026-11-01T00:00:00Z',
};
function valueFor(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType);
  if (isListType(type)) return [valueFor(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isScalarType(type)) return SCALARS[type.name] ?? 'matrix';
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => [field.name, valueFor(field.type)]),
    );
  }
  throw new Error(`no value for ${String(type)}`);
}

/** The operation calling `field` with made-up required arguments, selecting only `__typename`. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const definitions = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return {
    query:
      `${kind}${definitions ? `(${definitions})` : ''} { ` +
      `${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((arg) => [arg.name, valueFor(arg.type)])),
  };
}

/** The business complainant A's case is against, which the representative of X represents. */
const RESPONDENT_X = '矩阵测试甲电器有限公司';
const ENTERPRISE_X = enterpriseResolver().resolve({ name: RESPONDENT_X }).id;

/** The callers of the matrix: two of each kind that owns records, so "own" is never "anyone's". */
const CALLERS: Array<{ name: string; role: PolicyRole; id?: string; enterpriseId?: string; appKey?: true }> = [
  { name: 'anonymous', role: 'anonymous' },
  { name: 'complainant A', role: 'complainant', id: 'matrix-complainant-a' },
  { name: 'complainant B', role: 'complainant', id: 'matrix-complainant-b' },
  { name: 'representative of X', role: 'enterprise', id: 'matrix-rep-x', enterpriseId: ENTERPRISE_X },
  { name: 'representative of Y', role: 'enterprise', id: 'matrix-rep-y', enterpriseId: 'ent1_00000000000000bb' },
  { name: 'staff', role: 'staff', id: 'matrix-staff' },
  { name: 'admin', role: 'admin', id: 'matrix-admin' },
  // An app's API key adds no rights: it is judged by the anonymous column (platform/app-keys.ts).
  { name: 'app key', role: 'anonymous', appKey: true },
];

let graph: TestGraph;
const tokens = new Map<string, string | undefined>();
/** The headers each caller sends besides its token: the app key caller's `x-api-key`. */
const headers = new Map<string, Record<string, string>>();
type FiledCase = { id: string; respondent: { id: string } };
let caseOfA: FiledCase;

beforeAll(async () => {
  graph = await startGraph();
  // Every signed-in caller has an account (the accounts operations act on the caller's own one).
  const store = new SqliteAccountStore(openSqlite(join(graph.dataDir, 'accounts.db')));
  for (const caller of CALLERS.filter((c) => c.id)) {
    await store.insertAccount({
      id: caller.id!,
      role:
        caller.role === 'staff'
          ? AccountRole.Staff
          : caller.role === 'admin'
            ? AccountRole.Admin
            : AccountRole.Complainant,
      contact: { kind: 'email', value: `${caller.id}@example.org` },
      passwordHash: 'scrypt$17$8$1$not$a-real-hash',
      verifiedAt: new Date(),
      createdAt: new Date(),
      deletedAt: null,
    });
  }
  // A's pending request to represent X, and one security event, for the desk to read.
  await store.upsertRepresentation({
    accountId: 'matrix-complainant-a',
    enterpriseId: ENTERPRISE_X,
    creditCode: '91110000802100433B',
    enterpriseName: null,
    letterId: 'letter_matrix-a',
    status: RepresentationStatus.Pending,
    requestedAt: new Date(),
    decidedAt: null,
  });
  await createSqliteLetterStore(store.db).insert(
    {
      id: 'letter_matrix-a',
      accountId: 'matrix-complainant-a',
      name: 'authorisation.txt',
      mediaType: 'text/plain',
      size: 9,
      sha256: createHash('sha256').update('authorise').digest('hex'),
      uploadedAt: new Date(),
    },
    Buffer.from('authorise'),
  );
  await store.appendSecurityEvent({
    at: new Date(),
    kind: SecurityEventKind.SignInFailed,
    accountId: 'matrix-complainant-a',
    detail: null,
  });
  await store.close();
  for (const caller of CALLERS) {
    tokens.set(
      caller.name,
      caller.id ? await graph.tokenFor(caller.role as never, caller.id, caller.enterpriseId) : undefined,
    );
  }
  const appKey = await registerAppKey(graph, tokens.get('complainant A') as string, 'matrix app');
  for (const caller of CALLERS.filter((c) => c.appKey)) headers.set(caller.name, appKeyHeaders(appKey.key));
  caseOfA = await fileForwardedCase(tokens.get('complainant A')!, tokens.get('staff')!);
});

/** Complainant A files a case against X with one piece of evidence; staff accept and forward it to X. */
async function fileForwardedCase(complainant: string, staff: string): Promise<FiledCase> {
  const upload = await fetch(graph.urls.cases.replace(/\/graphql$/, '/evidence'), {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'x-filename': 'receipt.txt', authorization: `Bearer ${complainant}` },
    body: '订单号 20261101，货款 499 元',
  });
  expect(upload.status).toBe(201);
  const evidenceId = ((await upload.json()) as { id: string }).id;
  const input = {
    complainant: { name: '矩阵甲', phone: '13800138001', email: 'matrix-a@example.org', address: '上海市某路1号' },
    respondent: { name: RESPONDENT_X, storeUrl: 'https://shop.example.com/matrix-x' },
    industry: 'ECOMMERCE',
    issueType: 'REFUND',
    title: '退货后未退款',
    description: '十一月三日退回商品，商家签收后两周仍未退款，客服不再回复。',
    demands: '退还货款 499 元',
    amount: 499,
    occurredOn: '2026-11-01',
    evidenceIds: [evidenceId],
  };
  const filed = await graph.query<{ submitCase: FiledCase }>(
    'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id respondent { id } } }',
    { input },
    complainant,
  );
  expect(filed.errors).toBeUndefined();
  const id = filed.data!.submitCase.id;
  expect(filed.data!.submitCase.respondent.id).toBe(ENTERPRISE_X);
  for (const step of ['acceptCase', 'forwardCase']) {
    const moved = await graph.query(
      `mutation($input: CaseStepInput!) { ${step}(input: $input) { id } }`,
      { input: { id } },
      staff,
    );
    expect(moved.errors).toBeUndefined();
  }
  return filed.data!.submitCase;
}
afterAll(() => graph.stop());

test('every root field of the supergraph has exactly one row in the policy table, and every row a field', () => {
  const fields = rootFields()
    .map((root) => root.key)
    .sort();
  expect(Object.keys(POLICY).sort()).toEqual(fields);
});

const AUTH_CODES = ['UNAUTHENTICATED', 'FORBIDDEN'];

/**
 * What a call answered, as the matrix judges it. A public operation must answer every caller alike:
 * one whose credential is an argument (refreshSession's refresh token) answers UNAUTHENTICATED to
 * everyone for a made-up one, which is no refusal of the caller.
 */
function verdict(rule: Rule, role: PolicyRole, codes: string[], publicAnswer: string[] | null): string {
  if (publicAnswer) {
    const same = codes.join(',') === publicAnswer.join(',') && !codes.includes('FORBIDDEN');
    return same ? 'ok' : `expected the anonymous answer (${publicAnswer.join(',') || 'data'}), got ${codes.join(',')}`;
  }
  const refused = codes.some((code) => AUTH_CODES.includes(code));
  if (rule === 'deny') {
    const expected = role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    return codes.includes(expected) ? 'ok' : `expected ${expected}, got ${codes.join(',') || 'data'}`;
  }
  return refused ? `expected access, got ${codes.join(',')}` : 'ok';
}

test('each role is allowed or denied each operation as the table says, via the gateway and the subgraph', async () => {
  const failures: string[] = [];
  let pairs = 0;
  for (const { key, kind, field } of rootFields()) {
    const row = POLICY[key];
    if (!row) continue;
    const { query, variables } = operationFor(kind, field);
    const owner = OWNER.get(key);
    if (!owner) throw new Error(`${key}: no subgraph declares it`);
    const isPublic = Object.values(row).every((rule) => rule === 'allow');
    // The 16 calls of one operation run at once; operations run one after another.
    const calls = CALLERS.flatMap((caller) =>
      (
        [
          ['gateway', graph.gatewayUrl],
          [owner, graph.urls[owner]],
        ] as const
      ).map(async ([path, url]) => {
        const answer = await graph.query(query, variables, tokens.get(caller.name), url, headers.get(caller.name));
        return { caller, path, codes: (answer.errors ?? []).map((error) => String(error.extensions?.code)) };
      }),
    );
    const answers = await Promise.all(calls);
    pairs += answers.length;
    const publicAnswer = isPublic ? answers[0].codes : null;
    if (publicAnswer && (publicAnswer.includes('FORBIDDEN') || publicAnswer.includes('UNAUTHENTICATED'))) {
      if (key !== 'Mutation.refreshSession') failures.push(`${key}: a public operation refused anonymous callers`);
    }
    for (const { caller, path, codes } of answers) {
      const judged = verdict(row[caller.role], caller.role, codes, publicAnswer);
      if (judged !== 'ok') failures.push(`${key} as ${caller.name} via ${path}: ${judged}`);
    }
  }
  expect(failures).toEqual([]);
  expect(pairs).toBe(Object.keys(POLICY).length * CALLERS.length * 2);
}, 120_000);

test('every field of every object type has exactly one row in the field table, and every row a field', () => {
  expect(Object.keys(FIELD_POLICY).sort()).toEqual(objectFields(supergraph).sort());
});

test('every entity a subgraph resolves through _entities has a row, and every row such an entity', () => {
  expect(Object.keys(ENTITY_POLICY).sort()).toEqual(resolvableEntities().sort());
});

const A_AND_X = ['complainant A', 'representative of X'];
const caseOfAInCases: Probe['representation'] = () => ({ __typename: 'Case', id: caseOfA.id });
/** What the gateway sends the directory for a case's escalation options (its `@requires`). */
const caseOfAInDirectory: Probe['representation'] = () => ({
  __typename: 'Case',
  id: caseOfA.id,
  industry: 'ECOMMERCE',
  issueType: 'REFUND',
  occurredOn: '2026-11-01',
  amount: 499,
  contactedBusinessOn: null,
  businessOutcome: null,
  businessRepliedOn: null,
  escalatedTo: [],
});
const byId = () => `(id: "${caseOfA.id}")`;

/** How the matrix reaches each guarded type: a root field or an entity, then the fields down to it. */
const PROBES: Probe[] = [
  { start: 'Query.me', chain: [], owners: CALLERS.filter((caller) => caller.id).map((caller) => caller.name) },
  { start: 'Query.myRepresentations', chain: [], owners: ['complainant A'] },
  { start: 'Query.pendingRepresentations', chain: [], owners: ['complainant A'] },
  { start: 'Query.pendingRepresentations', chain: ['letter'], owners: ['complainant A'] },
  { start: 'Query.myRepresentations', chain: ['letter'], owners: ['complainant A'] },
  // Each signed-in caller's own keys (the operation matrix registers one for each of them).
  { start: 'Query.myAppKeys', chain: [], owners: CALLERS.filter((caller) => caller.id).map((caller) => caller.name) },
  { start: 'Query.appKeys', args: () => '(first: 10)', chain: [], owners: ['complainant A'] },
  { start: 'Query.securityEvents', chain: [], owners: [] },
  { start: 'Query.case', args: byId, chain: [], owners: A_AND_X },
  ...['respondentDetails', 'complainant', 'deadlines', 'timeline', 'revisions', 'evidence'].map((field) => ({
    start: 'Query.case',
    args: byId,
    chain: [field],
    owners: A_AND_X,
  })),
  { start: 'Query.case', args: byId, chain: ['revisions', 'changes'], owners: A_AND_X },
  { start: 'Query.case', args: byId, chain: ['respondent'], owners: ['representative of X'] },
  // Every complainant's own list is theirs (B's is empty); its edges are A's cases.
  { start: 'Query.myCases', chain: [], owners: ['complainant A', 'complainant B'] },
  { start: 'Query.myCases', chain: ['edges'], owners: ['complainant A'] },
  { start: 'Query.casesForEnterprise', args: () => `(enterpriseId: "${ENTERPRISE_X}")`, chain: [], owners: A_AND_X },
  {
    start: 'Query.casesForEnterprise',
    args: () => `(enterpriseId: "${ENTERPRISE_X}")`,
    chain: ['edges'],
    owners: ['representative of X'],
  },
  { start: 'cases:Case', representation: caseOfAInCases, chain: [], owners: A_AND_X },
  { start: 'directory:Case', representation: caseOfAInDirectory, chain: [], owners: A_AND_X },
];

test('every guarded field is reached by a probe, and every guarded entity', () => {
  const probed = new Set(
    PROBES.flatMap((probe) => {
      const { type } = walk(supergraph, probe);
      return guardedFields(supergraph, type).map((field) => `${type}.${field}`);
    }),
  );
  const guarded = objectFields(supergraph).filter((key) => FIELD_POLICY[key] && !isPublicRow(FIELD_POLICY[key]));
  expect(guarded.filter((key) => !probed.has(key))).toEqual([]);
  const guardedEntities = Object.keys(ENTITY_POLICY).filter((key) => !isPublicRow(ENTITY_POLICY[key]));
  expect(guardedEntities.filter((key) => !PROBES.some((probe) => probe.start === key))).toEqual([]);
});

const unavailable = (answer: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  (answer.errors ?? []).some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');

test('each caller reads each guarded field as the table says, via the gateway and the serving subgraph', async () => {
  const served = servingSubgraphs();
  const failures: string[] = [];
  let pairs = 0;
  for (const probe of PROBES) {
    const { type, rows, keys } = walk(supergraph, probe);
    const entity = probe.start.includes(':');
    const startOwner = entity ? (probe.start.split(':')[0] as SubgraphName) : OWNER.get(probe.start);
    if (!startOwner) throw new Error(`${probe.start}: no subgraph declares it`);
    // The port of the subgraph the probe starts at, for the fields it serves itself; the gateway for all.
    const paths = [
      { path: 'gateway', url: graph.gatewayUrl, serves: () => true },
      { path: startOwner, url: graph.urls[startOwner], serves: (key: string) => served.get(key)?.includes(startOwner) },
    ].filter(({ path }) => !(entity && path === 'gateway'));
    const fields = guardedFields(supergraph, type);
    const calls = CALLERS.flatMap((caller) =>
      paths.map(async ({ path, url, serves }) => {
        if (!keys.every((key) => serves(key))) return;
        const owner = probe.owners.includes(caller.name);
        // The key of an entity is what the caller sent in the representation: it is not probed there.
        const sent = Object.keys(probe.representation?.() ?? {});
        const here = fields.filter((field) => serves(`${type}.${field}`) && !sent.includes(field));
        const promises = new Map(
          here.map((field) => [field, promised([...rows, FIELD_POLICY[`${type}.${field}`]], caller.role, owner)]),
        );
        // Fields expected through go in one query; each refused one alone, so its null does not hide a sibling.
        const through = here.filter((field) => promises.get(field) === 'value');
        const batches = [through, ...here.filter((field) => promises.get(field) === 'refused').map((field) => [field])];
        for (const batch of batches.filter((fields) => fields.length > 0)) {
          const { query, variables } = probeQuery(supergraph, probe, type, batch);
          // A subgraph too slow on a loaded machine is no verdict on access: ask again, twice at most.
          let answer = await graph.query(query, variables, tokens.get(caller.name), url, headers.get(caller.name));
          for (let retry = 0; retry < 2 && unavailable(answer); retry += 1) {
            answer = await graph.query(query, variables, tokens.get(caller.name), url, headers.get(caller.name));
          }
          for (const field of batch) {
            pairs += 1;
            const { outcome, codes } = outcomeOf(answer, probe, field);
            if (outcome !== promises.get(field)) {
              const where = [probe.start, ...probe.chain].join(' → ');
              failures.push(
                `${type}.${field} (${where}) as ${caller.name} via ${path}: expected ${promises.get(field)}, ` +
                  `got ${outcome}${codes.length ? ` (${codes.join(',')})` : ''}`,
              );
            }
          }
        }
      }),
    );
    await Promise.all(calls);
  }
  expect(failures).toEqual([]);
  // The size of the generated matrix (for the README's figure).
  console.info(`field authorisation matrix: ${pairs} (field, caller, path) pairs`);
  expect(pairs).toBeGreaterThan(0);
}, 120_000);
