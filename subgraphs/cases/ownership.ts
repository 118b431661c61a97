/**
 * What "the caller's own" means in the cases slice, for the policy table's `own` rules
 * (platform/policy.ts), enforced around every field and entity resolution of the subgraph
 * (platform/server/field-policy.ts).
 */
import { Role } from '../../platform/context.ts';
import type { Ownership } from '../../platform/server/field-policy.ts';
import { isCaseParty, mayReadContact } from './commands.ts';
import type { CaseRecord } from './domain/model.ts';
import type { CasesContext } from './resolvers.ts';

export const casesOwnership: Ownership<CasesContext> = {
  Case: (record: CaseRecord, ctx: CasesContext) => isCaseParty(record, ctx.actor),
  // A state rule: the respondent's representative reads the contact details once the case is forwarded.
  'Case.complainant': (record: CaseRecord, ctx: CasesContext) => mayReadContact(record, ctx.actor),
  Enterprise: (enterprise: { id: string }, ctx: CasesContext) =>
    ctx.actor?.role === Role.Enterprise && ctx.actor.enterpriseId === enterprise.id,
};
