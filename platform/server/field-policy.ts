/**
 * Enforces the policy table (platform/policy.ts) in a subgraph's built schema, once, at build time:
 * every root field, every object field and every entity resolution (`_entities`) the table does
 * not mark public gets its resolver wrapped, so no resolver of a slice can forget a check, and a
 * direct call to a subgraph's port gets nothing the gateway would not give. A field or entity the
 * table has no row for, or an `own` row whose type has no ownership rule in the slice, stops the
 * subgraph from being built: a new field needs a decision before it can be served.
 */
import {
  defaultFieldResolver,
  type GraphQLError,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { Actor, RequestContext } from '../context.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import {
  ENTITY_POLICY,
  FIELD_POLICY,
  isPublicRow,
  POLICY,
  POLICY_ROLES,
  type PolicyRole,
  type PolicyRow,
  type Rule,
} from '../policy.ts';

/**
 * Whether `object` (a value of the type the rule is registered for) is the caller's own. Receives
 * the caller as `ctx.actor` (null for an anonymous one) and where the object was reached.
 */
export type OwnershipRule<Ctx extends RequestContext = RequestContext> = (
  object: never,
  ctx: Ctx,
  info: GraphQLResolveInfo,
) => boolean | Promise<boolean>;

/**
 * A slice's ownership rules, keyed by type (`Case`) or by one field (`Case.complainant`), which
 * then decides that field instead of the type's rule.
 */
export type Ownership<Ctx extends RequestContext = RequestContext> = Readonly<Record<string, OwnershipRule<Ctx>>>;

/** The federation machinery every subgraph has; not part of the composed schema. */
const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service', '_Service.sdl']);

/** The policy column of a caller; null for a role no caller may hold (`system`), refused everywhere. */
export function policyRoleOf(actor: Actor | null): PolicyRole | null {
  if (!actor) return 'anonymous';
  return (POLICY_ROLES as readonly string[]).includes(actor.role) ? (actor.role as PolicyRole) : null;
}

function ruleFor(row: PolicyRow, actor: Actor | null): Rule {
  const role = policyRoleOf(actor);
  return role ? row[role] : 'deny';
}

function refusal(actor: Actor | null, what: string): GraphQLError {
  if (!actor) return unauthenticated(`Sign-in required for ${what}: send a valid bearer token.`);
  return forbidden(`${what} is not open to the role ${actor.role}.`);
}

function notOwn(what: string): GraphQLError {
  return forbidden(`${what} is open only to those it belongs to.`);
}

function directives(type: GraphQLObjectType): readonly ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The `@key`s of a type this subgraph resolves (`resolvable: false` ones only name it). */
function resolvableKeys(type: GraphQLObjectType): string[][] {
  return directives(type)
    .filter((directive) => directive.name.value === 'key')
    .filter((directive) => {
      const resolvable = directive.arguments?.find((argument) => argument.name.value === 'resolvable')?.value;
      return !(resolvable?.kind === Kind.BOOLEAN && resolvable.value === false);
    })
    .map((directive) => (stringArgument(directive, 'fields') ?? '').split(/\s+/).filter(Boolean));
}

/** How @apollo/subgraph keeps a type's `__resolveReference`, and calls it: (reference, context, info). */
type ResolveReference = (reference: unknown, ctx: unknown, info: GraphQLResolveInfo) => unknown;
type EntityExtensions = { apollo?: { subgraph?: { resolveReference?: ResolveReference } } };

function resolveReferenceOf(type: GraphQLObjectType): ResolveReference | undefined {
  return (type.extensions as EntityExtensions).apollo?.subgraph?.resolveReference;
}

/**
 * Fields whose value is what the caller put in a representation, never data of this subgraph: an
 * `@external` field, and a key field of an entity this subgraph takes as given (no
 * `__resolveReference`, as the directory takes a case).
 */
function echoesTheReference(type: GraphQLObjectType, fieldName: string): boolean {
  const field = type.getFields()[fieldName];
  if (field.astNode?.directives?.some((directive) => directive.name.value === 'external')) return true;
  if (resolveReferenceOf(type)) return false;
  return resolvableKeys(type).some((key) => key.includes(fieldName));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Calls `next` when `check` (sync or async) passes, else throws `refused`. */
function whenAllowed<T>(check: boolean | Promise<boolean>, refused: () => GraphQLError, next: () => T) {
  if (isPromiseLike(check)) {
    return check.then((ok) => {
      if (!ok) throw refused();
      return next();
    });
  }
  if (!check) throw refused();
  return next();
}

/**
 * Wraps the resolvers of `schema` (a built subgraph schema, changed in place and returned) with
 * the policy table's rules for `subgraph`, asking `ownership` for `own`.
 */
export function enforcePolicy<Ctx extends RequestContext>(
  schema: GraphQLSchema,
  subgraph: string,
  ownership: Ownership<Ctx>,
): GraphQLSchema {
  const problems: string[] = [];
  const ownershipFor = (type: string, field?: string) =>
    (field ? ownership[`${type}.${field}`] : undefined) ?? ownership[type];
  const rootTypes = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = rootTypes.has(type.name);
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (FEDERATION_FIELDS.has(key) || (!root && echoesTheReference(type, field.name))) continue;
      const row = (root ? POLICY : FIELD_POLICY)[key];
      if (!row) {
        problems.push(`${key} has no row in the policy table (platform/policy.ts)`);
        continue;
      }
      if (isPublicRow(row)) continue;
      const owns = ownershipFor(type.name, field.name);
      const hasOwn = Object.values(row).includes('own');
      if (!root && hasOwn && !owns) problems.push(`${key} has an own rule but ${subgraph} has no ownership rule`);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx: Ctx, info) => {
        const rule = ruleFor(row, ctx.actor);
        if (rule === 'deny') throw refusal(ctx.actor, key);
        // A root `own` is narrowed by its resolver (there is no object yet to ask about).
        if (rule === 'allow' || root) return resolve(source, args, ctx, info);
        return whenAllowed(
          (owns as OwnershipRule<Ctx>)(source as never, ctx, info),
          () => notOwn(key),
          () => resolve(source, args, ctx, info),
        );
      };
    }
    if (resolvableKeys(type).length > 0) wrapEntity(type);
  }

  function wrapEntity(type: GraphQLObjectType): void {
    const key = `${subgraph}:${type.name}`;
    const row = ENTITY_POLICY[key];
    if (!row) {
      problems.push(`_entities of ${type.name} in ${subgraph} has no row in the policy table (ENTITY_POLICY)`);
      return;
    }
    if (isPublicRow(row)) return;
    const owns = ownershipFor(type.name);
    if (Object.values(row).includes('own') && !owns) {
      problems.push(`_entities of ${type.name} has an own rule but ${subgraph} has no ownership rule for it`);
    }
    const resolveReference = resolveReferenceOf(type) ?? ((reference: unknown) => reference);
    const guarded = (reference: unknown, ctx: Ctx, info: GraphQLResolveInfo) => {
      const rule = ruleFor(row, ctx.actor);
      // Rejected, not thrown: @apollo/subgraph calls this inside the `_entities` resolver, so a
      // throw would fail every representation of the request, not this one.
      if (rule === 'deny') return Promise.reject(refusal(ctx.actor, `a ${type.name} entity`));
      const resolved = resolveReference(reference, ctx, info);
      if (rule === 'allow') return resolved;
      // Not the caller's: null, as for an id that names nothing, so existence does not leak.
      const judge = (value: unknown) => {
        if (value === null || value === undefined) return null;
        const mine = (owns as OwnershipRule<Ctx>)(value as never, ctx, info);
        return isPromiseLike(mine) ? mine.then((ok) => (ok ? value : null)) : mine ? value : null;
      };
      return isPromiseLike(resolved) ? resolved.then(judge) : judge(resolved);
    };
    const extensions = type.extensions as EntityExtensions & Record<string, unknown>;
    type.extensions = {
      ...extensions,
      apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } },
    };
  }

  if (problems.length > 0) {
    throw new Error(`The ${subgraph} subgraph does not follow the policy table:\n- ${problems.join('\n- ')}`);
  }
  return schema;
}
