import { IdentityBasis, type EnterpriseResolver } from '../../../platform/enterprise/identity.ts';
import { cleanDisplayName } from '../../../platform/enterprise/identity.ts';

/**
 * How a published merchant name becomes an `Enterprise` id. The resolver (platform) is the only
 * place that decides identity; this wrapper adds what ingestion needs: a display name, and a
 * flag for resolutions that rest on the name alone, which we report and never merge further.
 */
export interface ResolvedEnterprise {
  id: string;
  basis: IdentityBasis;
  displayName: string;
  creditCode: string | null;
  /** True when only the normalised name tied the record to the id (no credit code, no reviewed alias). */
  lowConfidence: boolean;
}

export function resolvePublishedEnterprise(
  resolver: EnterpriseResolver,
  input: { name: string; creditCode?: string | null },
): ResolvedEnterprise | null {
  const displayName = cleanDisplayName(input.name);
  const identity = resolver.resolve({ name: input.name, creditCode: input.creditCode ?? null });
  // A name that normalises to nothing ("<b></b>", "有限公司") would give every such record one id.
  if (identity.basis !== IdentityBasis.CreditCode && identity.normalisedName === '') return null;
  // A valid credit code identifies the business on its own; it is then also its display name.
  const shownName = displayName || identity.creditCode;
  if (!shownName) return null;
  return {
    id: identity.id,
    basis: identity.basis,
    displayName: shownName,
    creditCode: identity.creditCode,
    lowConfidence: identity.basis === IdentityBasis.Name,
  };
}
