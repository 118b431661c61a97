/**
 * The authorisation matrix, generated from the policy table (platform/policy.ts) and the SDL: every
 * root operation of every subgraph, called as every kind of caller, through the gateway and
 * directly at the subgraph that owns it. Arguments are made up from the argument types (ids that
 * name nothing), so an allowed call answers data, NOT_FOUND or BAD_USER_INPUT, and a denied one
 * UNAUTHENTICATED or FORBIDDEN. A root field without a policy row fails the first test.
 */
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
import { POLICY, type PolicyRole, type Rule } from '../../platform/policy.ts';
import { loadTypeDefs, SUBGRAPHS, type SubgraphName } from '../../platform/server/sdl.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import { AccountRole } from '../../subgraphs/accounts/domain/account.ts';
import { SqliteAccountStore } from '../../subgraphs/accounts/store/accounts-sqlite.ts';
import { SUPERGRAPH_PATH } from '../../scripts/compose.ts';
import { appKeyHeaders, registerAppKey } from '../support/app-keys.ts';
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

/** The callers of the matrix: two of each kind that owns records, so "own" is never "anyone's". */
const CALLERS: Array<{ name: string; role: PolicyRole; id?: string; enterpriseId?: string; appKey?: true }> = [
  { name: 'anonymous', role: 'anonymous' },
  { name: 'complainant A', role: 'complainant', id: 'matrix-complainant-a' },
  { name: 'complainant B', role: 'complainant', id: 'matrix-complainant-b' },
  { name: 'representative of X', role: 'enterprise', id: 'matrix-rep-x', enterpriseId: 'ent1_00000000000000aa' },
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
  await store.close();
  for (const caller of CALLERS) {
    tokens.set(
      caller.name,
      caller.id ? await graph.tokenFor(caller.role as never, caller.id, caller.enterpriseId) : undefined,
    );
  }
  const appKey = await registerAppKey(graph, tokens.get('complainant A') as string, 'matrix app');
  for (const caller of CALLERS.filter((c) => c.appKey)) headers.set(caller.name, appKeyHeaders(appKey.key));
});
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
