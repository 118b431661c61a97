import { IdentityBasis, type EnterpriseResolver } from './identity.ts';

/**
 * The enterprise registry: which name-derived `Enterprise.id` is the same business as which
 * credit-code-derived one. An id is derived from the unified social credit code when one is
 * known, else from the normalised name (identity.ts), so a complaint filed by the respondent's
 * name alone and a representative approved by the credit code name the same business with two
 * ids. A link is written when staff approve a representation (the credit code and registered name
 * the representative gave, checked by staff against the authorisation letter); the cases slice
 * files later name-only complaints under the credit-code id and re-links earlier ones.
 *
 * Complaints that give both a name and a code do not write links: a complainant's typo (or a
 * malicious code) would route every later name-only complaint about that business, with the
 * complainants' contact details once forwarded, to another enterprise's representative.
 *
 * One store shared by the slices (a platform concern like the alias table, but written at run
 * time): `enterprises.db` under DATA_DIR, or the `enterprise_links` collection in MongoDB.
 */
export interface EnterpriseLink {
  /** The id the business's name alone resolves to (after the reviewed alias table). */
  nameId: string;
  /** The id its credit code resolves to. */
  enterpriseId: string;
  creditCode: string;
  /** The registered name as given, for staff reading the registry. */
  name: string;
  linkedAt: Date;
}

export interface EnterpriseRegistry {
  /**
   * Records a link; the first link of a name id stands (a later, different one is not written and
   * the existing link is returned, so the caller can report the disagreement).
   */
  link(link: EnterpriseLink): Promise<EnterpriseLink>;
  /** The credit-code id a name id is linked to, or null. */
  linkedId(nameId: string): Promise<string | null>;
  /** The name ids linked to a credit-code id. */
  nameIdsOf(enterpriseId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The link a representation approval writes, or null when the name needs none: it already
 * resolves to the credit code's id (the alias table knows the code), or the code is unusable.
 */
export function linkFor(
  resolver: EnterpriseResolver,
  input: { name: string; creditCode: string },
  at: Date,
): EnterpriseLink | null {
  const byCode = resolver.resolve({ name: input.name, creditCode: input.creditCode });
  if (!byCode.creditCode) return null;
  const byName = resolver.resolve({ name: input.name });
  if (byName.id === byCode.id || byName.normalisedName === '') return null;
  return { nameId: byName.id, enterpriseId: byCode.id, creditCode: byCode.creditCode, name: input.name, linkedAt: at };
}

/**
 * `resolver`, with the registry's links applied: a name that resolves (by name or alias) to a
 * linked name id resolves to the credit-code id it is linked to. `links` maps name ids to those
 * ids; the caller looks up the names it is about to resolve (the registry is a store, this is pure).
 */
export function withLinks(resolver: EnterpriseResolver, links: ReadonlyMap<string, string>): EnterpriseResolver {
  if (links.size === 0) return resolver;
  return {
    resolve(input) {
      const identity = resolver.resolve(input);
      const linked = identity.basis === IdentityBasis.CreditCode ? undefined : links.get(identity.id);
      return linked ? { ...identity, id: linked } : identity;
    },
  };
}

/** The links of the ids `names` resolve to by name, for `withLinks`. */
export async function linksForNames(
  registry: EnterpriseRegistry,
  resolver: EnterpriseResolver,
  names: ReadonlyArray<unknown>,
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.trim() === '') continue;
    const nameId = resolver.resolve({ name }).id;
    const linked = links.has(nameId) ? null : await registry.linkedId(nameId);
    if (linked) links.set(nameId, linked);
  }
  return links;
}
