import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  type ArgumentNode,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isListType,
  type ValidationContext,
  type ValidationRule,
  visit,
} from 'graphql';
import { type ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';
import type { Config } from '../config.ts';
import { ErrorCode } from '../errors.ts';

/**
 * Operation limits, applied at the gateway and again in every subgraph (a subgraph reached
 * directly must be as hard to abuse as the gateway). Each is a setting (`platform/config.ts`); the
 * defaults are generous enough for the deepest legitimate query in the README (case → respondent →
 * reputation → per-source breakdown).
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  /** Estimated objects an operation may return (demand control). */
  maxCost: number;
  /**
   * At most this many variable errors are reported for one request, as graphql-js's own `execute`
   * does. The cost estimator and the gateway's executor set no bound: a 400 KB list of 100,000
   * invalid enum values made 100,000 errors, 41 s of blocked event loop and a 21 MB answer.
   */
  maxVariableErrors: number;
}

export function operationLimits(
  config: Pick<
    Config,
    | 'GRAPHQL_MAX_DEPTH'
    | 'GRAPHQL_MAX_ALIASES'
    | 'GRAPHQL_MAX_TOKENS'
    | 'GRAPHQL_MAX_COST'
    | 'GRAPHQL_MAX_VARIABLE_ERRORS'
  >,
): OperationLimits {
  return {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    maxCost: config.GRAPHQL_MAX_COST,
    maxVariableErrors: config.GRAPHQL_MAX_VARIABLE_ERRORS,
  };
}

/**
 * A list without a page-size argument (a case's timeline, a channel's legal basis) is counted as
 * this many items: such lists are short by nature, and counting them keeps a cost estimate from
 * treating `channels { ruleVersions { legalBasis } }` as three objects.
 */
export const ASSUMED_LIST_SIZE = 10;

/** An armor rule's rejection, reported as a validation error (a 400) carrying `code` and the limit. */
function reportWithCode(code: ErrorCode, limit: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const message = error.message.replace(/^Syntax Error: /, '');
        context?.reportError(new GraphQLError(message, { nodes: error.nodes, extensions: { code, limit } }));
      },
    ],
  };
}

/** The depth and alias limits as validation rules, each error with its own code: for Apollo and for the gateway. */
export function operationLimitRules(limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases'>): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...reportWithCode(ErrorCode.DepthLimitExceeded, limits.maxDepth),
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      ...reportWithCode(ErrorCode.AliasLimitExceeded, limits.maxAliases),
    }),
  ];
}

export function tokenLimitError(maxTokens: number): GraphQLError {
  return new GraphQLError(`The operation has more than ${maxTokens} tokens.`, {
    extensions: { code: ErrorCode.TokenLimitExceeded, limit: maxTokens, http: { status: 400 } },
  });
}

/**
 * How many items a field's selection is paid for: the page asked for (`first`, its default when
 * not given or null), the representations asked of `_entities`, one for the list inside a connection
 * (its page was paid for by the connection field), ASSUMED_LIST_SIZE for any other list.
 */
function itemsPaidFor({ type, field, args }: ComplexityEstimatorArgs): number {
  if (typeof args.first === 'number') return Math.max(0, args.first);
  // `first: null` asks for the resolver's default page: paid for at the argument's default.
  const pageSize = field.args.find((argument) => argument.name === 'first');
  if (pageSize) return typeof pageSize.defaultValue === 'number' ? pageSize.defaultValue : ASSUMED_LIST_SIZE;
  if (field.name === '_entities' && Array.isArray(args.representations)) return args.representations.length;
  if (!isListType(getNullableType(field.type))) return 1;
  return type.name.endsWith('Connection') ? 1 : ASSUMED_LIST_SIZE;
}

/**
 * Demand control: an operation's cost is the number of objects it may return, each list counted at
 * the size asked for. `casesQueue(first: 100) { … respondent { cases(first: 100) { … } } }` costs
 * about 100 × 100 = 10,000 objects, where depth alone would see 7 levels.
 */
function objectsEstimator(options: ComplexityEstimatorArgs): number {
  // Introspection (`__schema`, `__type`) returns the schema, whose size no client chooses: GraphiQL's
  // query was counted at 14,966 objects and refused. Production turns introspection off altogether.
  if (options.field.name.startsWith('__')) return 0;
  const own = isCompositeType(getNamedType(options.field.type)) ? 1 : 0;
  return own + itemsPaidFor(options) * options.childComplexity;
}

/**
 * Why the variables do not coerce to the operation's declared types, as BAD_USER_INPUT errors
 * (at most `maxErrors`, then one saying the rest were not looked at); empty when they do.
 */
export function variableErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  maxErrors: number,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation?.variableDefinitions?.length) return [];
  const result = getVariableValues(schema, operation.variableDefinitions, variables ?? {}, { maxErrors });
  return (result.errors ?? []).map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes,
        extensions: { ...error.extensions, code: ErrorCode.BadUserInput },
      }),
  );
}

function complexityOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [objectsEstimator],
    });
  } catch {
    return null;
  }
}

/**
 * The arguments `itemsPaidFor` reads and the directives graphql-query-complexity obeys: an
 * operation's cost depends on its variables through these alone. Keep in step with `itemsPaidFor`.
 */
const COST_ARGUMENTS = new Set(['first', 'representations']);
const CONDITION_DIRECTIVES = new Set(['skip', 'include']);

/** The variables used, anywhere in `document`, in a cost argument or an @skip/@include condition. */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (arguments_: readonly ArgumentNode[] | undefined, only?: Set<string>) => {
    for (const argument of arguments_ ?? []) {
      if (only && !only.has(argument.name.value)) continue;
      visit(argument.value, { Variable: (node) => void names.add(node.name.value) });
    }
  };
  visit(document, {
    Field: (node) => collect(node.arguments, COST_ARGUMENTS),
    Directive: (node) => (CONDITION_DIRECTIVES.has(node.name.value) ? collect(node.arguments) : undefined),
  });
  return [...names].sort();
}

/** Costs remembered per document: one per set of values of its cost variables, this many at most. */
const COSTS_PER_DOCUMENT = 64;

/**
 * The estimated cost of an operation (null when it cannot be estimated), remembered per schema,
 * document (the runtime parses each distinct text once
 * and hands over the same DocumentNode) and the values of the variables the cost depends on:
 * `CaseOverview($id)` is estimated once, `publishedCases(first: $n)` once per page size. The
 * estimate walked the whole document with type information on every request, about 0.3-0.4 ms of
 * the gateway's CPU (issue 17). The caller checks the variables first (`variableErrors`): only the
 * cost of variables that coerce is asked for, and only a number is remembered. The subgraphs use it
 * too (subgraph-server.ts), where Apollo Server's document store plays the runtime's part.
 */
export function rememberedOperationCost(): (
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
) => number | null {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, { names: string[]; costs: Map<string, number> }>>();
  return (schema, document, variables, operationName) => {
    let byDocument = bySchema.get(schema);
    if (!byDocument) {
      byDocument = new WeakMap();
      bySchema.set(schema, byDocument);
    }
    let remembered = byDocument.get(document);
    if (!remembered) {
      remembered = { names: costVariables(document), costs: new Map() };
      byDocument.set(document, remembered);
    }
    // A variable not sent ([]) is told apart from one sent as null ([null]): its default may apply.
    // Of a list (`representations`), `itemsPaidFor` reads only the length: the key holds just that,
    // so the subgraphs' `_entities` requests share one estimate per number of representations.
    const values = remembered.names.map((name) => {
      if (!variables || !(name in variables)) return [];
      const value = variables[name];
      return [Array.isArray(value) ? { length: value.length } : value];
    });
    const key = JSON.stringify([operationName ?? null, values]);
    const known = remembered.costs.get(key);
    if (known !== undefined) return known;
    const cost = complexityOf(schema, document, variables, operationName);
    if (cost === null) return null;
    if (remembered.costs.size >= COSTS_PER_DOCUMENT) {
      remembered.costs.delete(remembered.costs.keys().next().value as string);
    }
    remembered.costs.set(key, cost);
    return cost;
  };
}

export function costLimitError(cost: number, limit: number): GraphQLError {
  return new GraphQLError(
    `The operation's estimated cost is ${cost}, over the limit of ${limit}: ` +
      'ask for smaller pages or fewer nested lists.',
    { extensions: { code: ErrorCode.CostLimitExceeded, cost, limit, http: { status: 400 } } },
  );
}
