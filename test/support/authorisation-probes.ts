/**
 * What the field part of the authorisation matrix is generated from: the fields of the composed
 * schema and which subgraph serves each, the entities each subgraph resolves, and how a probe (a
 * root field or an `_entities` call, then a chain of fields down to an object) is written as one
 * query, read back and judged against the policy table.
 */
import {
  type DocumentNode,
  getNamedType,
  type GraphQLSchema,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
} from 'graphql';
import {
  ENTITY_POLICY,
  FIELD_POLICY,
  isPublicRow,
  POLICY,
  type PolicyRole,
  type PolicyRow,
} from '../../platform/policy.ts';
import { loadTypeDefs, SUBGRAPHS, type SubgraphName } from '../../platform/server/sdl.ts';

/** `Type.field` of every object type of the composed schema but the root types and federation's own. */
export function objectFields(supergraph: GraphQLSchema): string[] {
  const roots = new Set([supergraph.getQueryType()?.name, supergraph.getMutationType()?.name]);
  return Object.values(supergraph.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__') && !roots.has(type.name))
    .flatMap((type) =>
      isObjectType(type) ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
}

const hasDirective = (directives: readonly ConstDirectiveNode[] | undefined, name: string) =>
  (directives ?? []).some((directive) => directive.name.value === name);

function objectDefinitions(document: DocumentNode) {
  return document.definitions.filter(
    (definition) => definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION,
  );
}

/** Which subgraphs resolve each `Type.field` from their own data (not `@external`). */
export function servingSubgraphs(): Map<string, SubgraphName[]> {
  const served = new Map<string, SubgraphName[]>();
  for (const name of SUBGRAPHS) {
    for (const definition of objectDefinitions(loadTypeDefs(name))) {
      for (const field of definition.fields ?? []) {
        if (hasDirective(field.directives, 'external')) continue;
        const key = `${definition.name.value}.${field.name.value}`;
        served.set(key, [...(served.get(key) ?? []), name]);
      }
    }
  }
  return served;
}

/** `subgraph:Type` for every entity a subgraph resolves through `_entities` (not `resolvable: false`). */
export function resolvableEntities(): string[] {
  const entities: string[] = [];
  for (const name of SUBGRAPHS) {
    for (const definition of objectDefinitions(loadTypeDefs(name))) {
      const keys = (definition.directives ?? []).filter((directive) => directive.name.value === 'key');
      const resolvable = keys.some(
        (key) =>
          !key.arguments?.some(
            (argument) =>
              argument.name.value === 'resolvable' && argument.value.kind === Kind.BOOLEAN && !argument.value.value,
          ),
      );
      if (resolvable) entities.push(`${name}:${definition.name.value}`);
    }
  }
  return entities;
}

/** A way to reach objects of one type: a root field or an entity, then fields down to the objects. */
export interface Probe {
  /** `Query.case`, or `cases:Case` for `_entities` at that subgraph's port. */
  start: string;
  /** The root field's arguments, written once the records exist: `(id: "…")`. */
  args?: () => string;
  /** The representation `_entities` is asked for. */
  representation?: () => Record<string, unknown>;
  /** Fields from the start down to the objects probed. */
  chain: string[];
  /** The callers for whom the objects reached are their own (they filed the case, they are the account). */
  owners: string[];
}

export type Outcome = 'value' | 'refused';

/** The type a probe reaches, and the policy rows along the way (the root or entity row first). */
export function walk(supergraph: GraphQLSchema, probe: Probe): { type: string; rows: PolicyRow[]; keys: string[] } {
  const entity = probe.start.includes(':');
  let typeName: string;
  const keys: string[] = [];
  const rows: PolicyRow[] = [];
  if (entity) {
    typeName = probe.start.split(':')[1];
    rows.push(ENTITY_POLICY[probe.start]);
  } else {
    const [root, name] = probe.start.split('.');
    const field = (root === 'Query' ? supergraph.getQueryType() : supergraph.getMutationType())?.getFields()[name];
    if (!field) throw new Error(`${probe.start}: no such root field`);
    typeName = getNamedType(field.type).name;
    rows.push(POLICY[probe.start]);
  }
  for (const step of probe.chain) {
    const type = supergraph.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[step] : undefined;
    if (!field) throw new Error(`${probe.start}: ${typeName}.${step} does not exist`);
    keys.push(`${typeName}.${step}`);
    rows.push(FIELD_POLICY[`${typeName}.${step}`]);
    typeName = getNamedType(field.type).name;
  }
  return { type: typeName, rows, keys };
}

/** The non-public fields of `type`, which the matrix probes; the public ones need only their row. */
export function guardedFields(supergraph: GraphQLSchema, type: string): string[] {
  const named = supergraph.getType(type);
  if (!isObjectType(named)) return [];
  return Object.keys(named.getFields()).filter((field) => !isPublicRow(FIELD_POLICY[`${type}.${field}`]));
}

/** What the table promises a caller along `rows`: any deny refuses, any own needs the record to be theirs. */
export function promised(rows: PolicyRow[], role: PolicyRole, owner: boolean): Outcome {
  const rules = rows.map((row) => row[role]);
  if (rules.includes('deny')) return 'refused';
  if (rules.includes('own')) return owner ? 'value' : 'refused';
  return 'value';
}

/** One query selecting `fields` of the objects a probe reaches. */
export function probeQuery(
  supergraph: GraphQLSchema,
  probe: Probe,
  type: string,
  fields: string[],
): { query: string; variables: Record<string, unknown> } {
  const objectType = supergraph.getType(type);
  if (!isObjectType(objectType)) throw new Error(`${type} is not an object type`);
  const selections = fields.map((name) => {
    const field = objectType.getFields()[name];
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) {
      throw new Error(`${type}.${name} needs arguments the matrix does not make up`);
    }
    return isObjectType(getNamedType(field.type)) || isListType(field.type) ? `${name} { __typename }` : name;
  });
  const inner = probe.chain.reduceRight((selection, step) => `${step} { ${selection} }`, selections.join(' '));
  if (probe.start.includes(':')) {
    return {
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${inner} } } }`,
      variables: { r: [probe.representation?.()] },
    };
  }
  const name = probe.start.split('.')[1];
  return { query: `{ ${name}${probe.args?.() ?? ''} { ${inner} } }`, variables: {} };
}

type Answer = {
  data?: unknown;
  errors?: Array<{ path?: Array<string | number>; extensions?: Record<string, unknown> }>;
};

/** Whether `field` came back on the objects the probe reached, with no error on it or above it. */
export function outcomeOf(answer: Answer, probe: Probe, field: string): { outcome: Outcome; codes: string[] } {
  const start = probe.start.includes(':') ? '_entities' : probe.start.split('.')[1];
  const target = [start, ...probe.chain, field];
  const errors = (answer.errors ?? []).filter((error) => {
    const path = (error.path ?? []).filter((part) => typeof part === 'string');
    return path.length > 0 && path.every((part, i) => target[i] === part);
  });
  let objects: unknown[] = [(answer.data as Record<string, unknown> | null | undefined)?.[start]];
  for (const step of probe.chain) {
    objects = objects
      .flat(2)
      .flatMap((o) => (o && typeof o === 'object' ? [(o as Record<string, unknown>)[step]] : []));
  }
  const reached = objects.flat(2).filter((o): o is Record<string, unknown> => Boolean(o) && typeof o === 'object');
  const value = errors.length === 0 && reached.some((object) => field in object);
  return { outcome: value ? 'value' : 'refused', codes: errors.map((error) => String(error.extensions?.code)) };
}
