/**
 * Hostile values for property-based tests of the public graph, derived from the composed schema so
 * that a new argument or input field is fuzzed without anyone listing it here. Every value a
 * generator yields is a plain JSON value, except the number markers `Infinity`, `-Infinity` and
 * `NaN`, which `encodeBody` writes as `1e999`, `-1e999` (JSON that parses to an infinity) and
 * `NaN` (not JSON at all: the request must be refused as a malformed body).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

export function publicSchema(): GraphQLSchema {
  return buildSchema(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'), {
    assumeValidSDL: true,
  });
}

/** Every root field a client can call, queries and mutations. */
export function publicOperations(
  schema: GraphQLSchema,
): Array<{ kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> {
  const operations: Array<{ kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }> = [];
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      if (!field.name.startsWith('_')) operations.push({ kind, field });
    }
  }
  return operations;
}

const DEEP_NESTING = 2_000;

function deepObject(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

function deepList(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** Strings that look like store operators or query fragments; each must be taken literally. */
export const INJECTION_STRINGS = [
  '$where',
  '{"$gt": ""}',
  '{"$ne": null}',
  '$regex',
  '.*',
  "' OR '1'='1",
  "'; DROP TABLE cases; --",
  '" OR 1=1 --',
  '1; SELECT * FROM sqlite_master',
  '%',
  '_',
  '%%%_%',
  '\\',
  ['$', '{jndi:ldap://x}'].join(''), // a log-injection string, written so it is not read as a template
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '<script>alert(1)</script>',
] as const;

const CONTROL_CHARACTERS = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
});

const LONE_SURROGATES = fc.constantFrom('\uD800', '\uDFFF', 'a\uDC00b', '\uDBFF\uDBFF', '正常\uD83D');

const HUGE_STRINGS = fc
  .constantFrom(10_000, 100_000, 400_000)
  .chain((length) => fc.constantFrom('x'.repeat(length), '测'.repeat(length), '\u0000'.repeat(length)));

const UNICODE_ODDITIES = fc.constantFrom(
  '',
  ' ',
  '\u200B',
  '\u202Eevil',
  '\uFEFF',
  '\u0000',
  'e\u0301',
  '１３８１１１１２２２２',
  '\u2028\u2029',
  '😀'.repeat(50),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  CONTROL_CHARACTERS,
  LONE_SURROGATES,
  HUGE_STRINGS,
  UNICODE_ODDITIES,
  fc.constantFrom(...INJECTION_STRINGS),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    -0.01,
    -0,
    0,
    0.001,
    1.005,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
  ),
  fc.double(),
  fc.integer(),
);

const OUT_OF_RANGE_DATES = fc.constantFrom(
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '+275760-09-13',
  '-000001-01-01',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '20261101',
  '2026-11-01T25:00:00Z',
  '2026-11-01T00:00:00+99:00',
  '1970-01-01T00:00:00Z',
  '3000-01-01T00:00:00Z',
  '2026-11-01 ',
  'yesterday',
);

/** Any hostile value, of no particular type. */
export const hostileAnything: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(true, false, null, {}, [], { $gt: '' }, { $where: 'sleep(1000)' }, { $ne: null }),
  fc.constant(null).map(() => deepObject(DEEP_NESTING)),
  fc.constant(null).map(() => deepList(DEEP_NESTING)),
);

/** A hostile value aimed at `type`: the kind of nonsense a client could send in that place. */
export function hostileFor(type: GraphQLInputType): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof(fc.constant(null), hostileFor(type.ofType));
  if (isListType(type)) {
    return fc.oneof(
      fc.array(hostileFor(type.ofType), { maxLength: 3 }),
      fc.constant(null).map(() => Array.from({ length: 10_000 }, () => 'x')),
      fc.constant(null).map(() => deepList(DEEP_NESTING)),
      hostileAnything,
    );
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((value) => value.name);
    return fc.oneof(
      fc.constantFrom('NOT_A_VALUE', '', '__proto__', `${names[0]} `, names[0].toLowerCase(), `${names[0]}\u0000`),
      hostileString,
    );
  }
  if (isInputObjectType(type)) {
    return fc.oneof(
      fc.constantFrom({ $where: 'sleep(1000)' }, { $gt: '' }, JSON.parse('{"__proto__": {"polluted": true}}')),
      fc.constant(null).map(() => ({ unknownField: deepObject(DEEP_NESTING) })),
      hostileAnything,
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return fc.oneof(hostileNumber, fc.constantFrom('NaN', 'Infinity', '1', ''));
      case 'Date':
      case 'DateTime':
        return fc.oneof(OUT_OF_RANGE_DATES, hostileString);
      case 'Boolean':
        return fc.constantFrom('true', 1, 0, null);
      default:
        return fc.oneof(hostileString, hostileNumber);
    }
  }
  return hostileAnything;
}

/**
 * Plausible values for the fields whose validation would otherwise stop every generated request
 * early (a phone must look like a phone before the title is even looked at). A field not named
 * here gets a plain value of its type, so a new field is still covered.
 */
export interface PlausibleValues {
  byField: Record<string, fc.Arbitrary<unknown>>;
  ids: fc.Arbitrary<string>;
}

export function plausibleFor(type: GraphQLInputType, field: string, values: PlausibleValues): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return plausibleFor(type.ofType, field, values);
  if (field in values.byField) return values.byField[field] as fc.Arbitrary<unknown>;
  if (isListType(type)) return fc.array(plausibleFor(type.ofType, field, values), { minLength: 1, maxLength: 2 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
  if (isInputObjectType(type)) return inputObject(type, values, 'plausible');
  switch (type.name) {
    case 'ID':
      return values.ids;
    case 'Int':
      return fc.integer({ min: 1, max: 50 });
    case 'Float':
      return fc.constantFrom(0, 12.5, 100);
    case 'Boolean':
      return fc.boolean();
    case 'Date':
      return fc.constantFrom('2026-10-01', '2026-11-01');
    case 'DateTime':
      return fc.constantFrom('2026-10-01T00:00:00.000Z', '2026-11-01T08:00:00.000Z');
    default:
      return fc.constantFrom(
        '普通的文字内容，足够长以通过最短长度的检查。',
        'Plain words long enough for a minimum length.',
      );
  }
}

/**
 * A value for an argument or input field: mostly plausible, so requests reach the resolvers' own
 * checks, sometimes hostile; an optional one sometimes left out.
 */
export function argumentValue(type: GraphQLInputType, field: string, values: PlausibleValues): fc.Arbitrary<unknown> {
  const choices: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 6, arbitrary: plausibleFor(type, field, values) },
    { weight: 2, arbitrary: hostileFor(type) },
    { weight: 1, arbitrary: hostileAnything },
  ];
  if (!isNonNullType(type)) choices.push({ weight: 2, arbitrary: fc.constant(undefined) });
  return fc.oneof(...choices);
}

function inputObject(
  type: Extract<GraphQLInputType, { getFields: unknown }>,
  values: PlausibleValues,
  mode: 'plausible' | 'mixed',
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.values(type.getFields());
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) {
    if (mode === 'plausible' && !isNonNullType(field.type)) continue;
    record[field.name] =
      mode === 'plausible'
        ? plausibleFor(field.type, field.name, values)
        : isInputObjectType(getNamedType(field.type)) && !isListType(field.type)
          ? fc.oneof(
              { weight: 6, arbitrary: inputObject(getNamedType(field.type) as typeof type, values, 'mixed') },
              { weight: 1, arbitrary: hostileFor(field.type) },
            )
          : argumentValue(field.type, field.name, values);
  }
  return fc.record(record).map(withoutUndefined);
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** The variables for a call of `field`: one per argument, each mostly plausible, some hostile. */
export function variablesFor(field: GraphQLField<unknown, unknown>, values: PlausibleValues) {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const arg of field.args) {
    const named = getNamedType(arg.type);
    record[arg.name] =
      isInputObjectType(named) && !isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type)
        ? fc.oneof(
            { weight: 6, arbitrary: inputObject(named, values, 'mixed') },
            { weight: 1, arbitrary: hostileFor(arg.type) },
          )
        : argumentValue(arg.type, arg.name, values);
  }
  return fc.record(record).map(withoutUndefined);
}

/**
 * The operation text for `field`, its arguments passed as variables of their declared types and
 * its result's scalar fields selected (so their resolvers run on whatever was stored).
 */
export function operationText(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const call = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const named = getNamedType(field.type);
  let selection = '';
  if (isCompositeType(named)) {
    const leaves = isObjectType(named)
      ? Object.values(named.getFields())
          .filter((child) => isLeafType(getNamedType(child.type)) && child.args.every((a) => !isNonNullType(a.type)))
          .map((child) => child.name)
      : [];
    selection = ` { __typename ${leaves.join(' ')} }`;
  }
  const head = declarations ? `${kind} Fuzz(${declarations})` : `${kind} Fuzz`;
  return `${head} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
}

const INFINITY = '\u0001weiquan:Infinity\u0001';
const MINUS_INFINITY = '\u0001weiquan:-Infinity\u0001';
const NOT_A_NUMBER = '\u0001weiquan:NaN\u0001';

/** The request body, with infinities as `1e999` and NaN as the bare (invalid) token `NaN`. */
export function encodeBody(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables }, (_key, value) => {
    if (typeof value !== 'number' || Number.isFinite(value)) return value;
    if (Number.isNaN(value)) return NOT_A_NUMBER;
    return value > 0 ? INFINITY : MINUS_INFINITY;
  })
    .replaceAll(JSON.stringify(INFINITY), '1e999')
    .replaceAll(JSON.stringify(MINUS_INFINITY), '-1e999')
    .replaceAll(JSON.stringify(NOT_A_NUMBER), 'NaN');
}
