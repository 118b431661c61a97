/**
 * Who may call each operation of the graph: one row per root field (Query and Mutation of every
 * subgraph), one rule per caller kind. The resolvers enforce it (platform/auth.ts requireRole, the
 * case visibility rules in the cases slice, the accounts slice's own checks); this table is the
 * statement of what they must enforce, and test/architecture/authorisation-matrix.test.ts calls every
 * row as every role, through the gateway and directly at the owning subgraph's port. A new root
 * field without a row fails that test.
 *
 * - `allow`: the caller may call it and sees everything it answers;
 * - `own`: the caller may call it, and sees or changes only their own records (their account,
 *   their cases, their enterprise's forwarded cases); anything else answers NOT_FOUND or nothing;
 * - `deny`: UNAUTHENTICATED for an anonymous caller, FORBIDDEN for a signed-in one.
 */
export type Rule = 'allow' | 'own' | 'deny';
export const POLICY_ROLES = ['anonymous', 'complainant', 'enterprise', 'staff', 'admin'] as const;
export type PolicyRole = (typeof POLICY_ROLES)[number];
export type PolicyRow = Readonly<Record<PolicyRole, Rule>>;

const row = (anonymous: Rule, complainant: Rule, enterprise: Rule, staff: Rule, admin: Rule): PolicyRow => ({
  anonymous,
  complainant,
  enterprise,
  staff,
  admin,
});

//                                    anonymous complainant enterprise staff    admin
const PUBLIC = row('allow', 'allow', 'allow', 'allow', 'allow');
const SIGNED_IN_OWN = row('deny', 'own', 'own', 'own', 'own');
const DESK = row('deny', 'deny', 'deny', 'allow', 'allow');
const STAFF_ONLY = row('deny', 'deny', 'deny', 'allow', 'deny');
const COMPLAINANT_OWN = row('deny', 'own', 'deny', 'deny', 'deny');
const COMPLAINANT_OWN_OR_STAFF = row('deny', 'own', 'deny', 'allow', 'deny');
const REPRESENTATIVE_OWN = row('deny', 'deny', 'own', 'deny', 'deny');

export const POLICY: Readonly<Record<string, PolicyRow>> = {
  // accounts
  'Query.me': SIGNED_IN_OWN,
  'Query.myRepresentations': SIGNED_IN_OWN,
  'Query.pendingRepresentations': DESK,
  'Query.securityEvents': DESK,
  'Mutation.register': PUBLIC,
  'Mutation.sendVerificationCode': PUBLIC,
  'Mutation.verifyContact': PUBLIC,
  'Mutation.signIn': PUBLIC,
  'Mutation.refreshSession': PUBLIC,
  'Mutation.signOut': PUBLIC,
  'Mutation.resetPassword': PUBLIC,
  'Mutation.changePassword': SIGNED_IN_OWN,
  'Mutation.deleteAccount': SIGNED_IN_OWN,
  // A representative's session belongs to a complainant account, which may ask for more enterprises.
  'Mutation.requestRepresentation': row('deny', 'own', 'own', 'deny', 'deny'),
  'Mutation.decideRepresentation': DESK,
  // App keys: an account's own; staff and admins see every key, revoke any and set a key's own limit.
  'Query.myAppKeys': SIGNED_IN_OWN,
  'Query.appKeys': DESK,
  'Mutation.registerAppKey': SIGNED_IN_OWN,
  'Mutation.revokeAppKey': row('deny', 'own', 'own', 'allow', 'allow'),
  'Mutation.setAppKeyRateLimit': DESK,
  // cases: a case nobody may see answers NOT_FOUND, never FORBIDDEN, so its existence does not leak
  'Query.case': row('deny', 'own', 'own', 'allow', 'own'),
  'Query.myCases': COMPLAINANT_OWN,
  'Query.casesForEnterprise': row('deny', 'deny', 'own', 'allow', 'deny'),
  'Query.casesQueue': STAFF_ONLY,
  'Query.publishedCases': PUBLIC,
  'Mutation.submitCase': COMPLAINANT_OWN,
  'Mutation.editCase': COMPLAINANT_OWN,
  'Mutation.addEvidence': COMPLAINANT_OWN_OR_STAFF,
  'Mutation.recordEscalation': COMPLAINANT_OWN,
  'Mutation.withdrawCase': COMPLAINANT_OWN,
  'Mutation.acceptCase': STAFF_ONLY,
  'Mutation.rejectCase': STAFF_ONLY,
  'Mutation.forwardCase': STAFF_ONLY,
  'Mutation.respondToCase': REPRESENTATIVE_OWN,
  'Mutation.confirmResolution': COMPLAINANT_OWN,
  'Mutation.reportUnsatisfied': COMPLAINANT_OWN,
  'Mutation.appealCase': COMPLAINANT_OWN,
  'Mutation.closeCase': STAFF_ONLY,
  'Mutation.publishCase': STAFF_ONLY,
  // directory
  'Query.channel': PUBLIC,
  'Query.channels': PUBLIC,
  'Query.whereToComplain': PUBLIC,
  // reputation
  'Query.enterprise': PUBLIC,
  'Query.sources': PUBLIC,
  'Query.searchEnterprises': PUBLIC,
  'Query.rankings': PUBLIC,
  'Query.industryReputation': PUBLIC,
  'Query.redBlackList': PUBLIC,
  'Query.redBlackSnapshot': PUBLIC,
  'Query.redBlackSnapshots': PUBLIC,
  'Mutation.publishRedBlackSnapshot': STAFF_ONLY,
};
