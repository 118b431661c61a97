/**
 * The policy table enforced around resolvers that check nothing themselves: the cases SDL with stub
 * resolvers, so whatever is refused here is refused by platform/server/field-policy.ts alone.
 */
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { execute, parse, type GraphQLSchema } from 'graphql';
import type { Actor, RequestContext } from '../../../platform/context.ts';
import { enforcePolicy, type Ownership } from '../../../platform/server/field-policy.ts';
import { loadTypeDefs } from '../../../platform/server/sdl.ts';

type StubCase = { id: string; complainantId: string; title: string; complainant: { name: string; phone: string } };
const CASE: StubCase = {
  id: 'case-1',
  complainantId: 'user-a',
  title: '退货后未退款',
  complainant: { name: '王五', phone: '13800138000' },
};

/** Resolvers with no check at all: a slice that forgot every rule. */
const careless: GraphQLResolverMap<RequestContext> = {
  Query: { case: () => CASE, casesQueue: () => ({ edges: [], pageInfo: { hasNextPage: false } }) },
  Case: { __resolveReference: () => CASE },
};

const ownership: Ownership = {
  Case: (record: StubCase, ctx: RequestContext) => ctx.actor?.id === record.complainantId,
  Enterprise: () => false,
};

function build(typeDefs = loadTypeDefs('cases'), rules: Ownership = ownership): GraphQLSchema {
  return enforcePolicy(buildSubgraphSchema([{ typeDefs, resolvers: careless }]), 'cases', rules);
}
const schema = build();

async function run(query: string, actor: Actor | null) {
  const context: RequestContext = { requestId: 'r', actor, logger: undefined as never };
  const result = await execute({ schema, document: parse(query), contextValue: context });
  return {
    data: result.data as Record<string, unknown> | null | undefined,
    errors: (result.errors ?? []).map((error) => [error.path?.join('.'), error.extensions.code]),
  };
}

const complainantA: Actor = { id: 'user-a', role: 'complainant' };
const complainantB: Actor = { id: 'user-b', role: 'complainant' };

test('a root field the table denies is refused: UNAUTHENTICATED anonymous, FORBIDDEN signed in', async () => {
  expect((await run('{ casesQueue { pageInfo { hasNextPage } } }', null)).errors).toEqual([
    ['casesQueue', 'UNAUTHENTICATED'],
  ]);
  expect((await run('{ casesQueue { pageInfo { hasNextPage } } }', complainantA)).errors).toEqual([
    ['casesQueue', 'FORBIDDEN'],
  ]);
});

test('an own field of someone else’s object is FORBIDDEN, though the resolver let it through', async () => {
  const contact = await run('{ case(id: "case-1") { complainant { phone } } }', complainantB);
  expect(contact).toEqual({ data: { case: { complainant: null } }, errors: [['case.complainant', 'FORBIDDEN']] });
  // A non-null field refused nulls its object, as any error there would.
  expect(await run('{ case(id: "case-1") { title } }', complainantB)).toEqual({
    data: { case: null },
    errors: [['case.title', 'FORBIDDEN']],
  });
});

test('the owner reads the same fields', async () => {
  const answer = await run('{ case(id: "case-1") { title complainant { phone } } }', complainantA);
  expect(answer).toEqual({ data: { case: { title: CASE.title, complainant: { phone: '13800138000' } } }, errors: [] });
});

test('a role the table has no column for (system) is refused everywhere', async () => {
  const answer = await run('{ case(id: "case-1") { title } }', { id: 'scheduler', role: 'system' });
  expect(answer.errors).toEqual([['case', 'FORBIDDEN']]);
});

test('_entities answers null to whom the case is not own, a refusal to whom the table denies it', async () => {
  const query = '{ _entities(representations: [{ __typename: "Case", id: "case-1" }]) { ... on Case { id } } }';
  expect(await run(query, complainantA)).toEqual({ data: { _entities: [{ id: 'case-1' }] }, errors: [] });
  expect(await run(query, complainantB)).toEqual({ data: { _entities: [null] }, errors: [] });
  expect(await run(query, null)).toEqual({ data: { _entities: [null] }, errors: [['_entities.0', 'UNAUTHENTICATED']] });
  expect((await run(query, { id: 'admin-1', role: 'admin' })).errors).toEqual([['_entities.0', 'FORBIDDEN']]);
});

test('a field without a row in the table stops the subgraph from being built, naming the field', () => {
  const withNewField = parse(`${'extend type Case { internalNote: String }'}`);
  const typeDefs = loadTypeDefs('cases');
  expect(() => build({ ...typeDefs, definitions: [...typeDefs.definitions, ...withNewField.definitions] })).toThrow(
    /Case\.internalNote has no row in the policy table/,
  );
});

test('an own rule on a type the slice has no ownership rule for stops the build', () => {
  expect(() => build(loadTypeDefs('cases'), { Enterprise: () => false })).toThrow(
    /Case\.title has an own rule but cases has no ownership rule/,
  );
});
