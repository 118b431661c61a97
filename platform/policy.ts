/**
 * Who may call each operation and read each field of the graph, as one table: one row per root
 * field (POLICY), per field of every object type (FIELD_POLICY) and per entity type a subgraph
 * resolves through `_entities` (ENTITY_POLICY); one rule per caller kind. Every subgraph enforces
 * it at build time (platform/server/field-policy.ts wraps every resolver it names, and refuses to
 * start when a field has no row), and test/architecture/authorisation-matrix.test.ts generates the
 * matrix from it and the SDL: a new field without a row fails that test. This file is long because
 * the table lists every field of the composed schema by name, so that "public" is a decision too.
 *
 * - `allow`: the caller may call it and sees everything it answers;
 * - `own`: the caller may call it, and sees or changes only their own records (their account,
 *   their cases, their enterprise's forwarded cases); on a root field the resolver narrows to them
 *   (anything else answers NOT_FOUND or nothing), on an object field the owning slice's ownership
 *   rule for that object decides (FORBIDDEN otherwise);
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

/*
 * Fields. Every field of every object type of the composed schema has a row, so a field added to
 * the SDL without a decision fails test/architecture/authorisation-matrix.test.ts and stops the
 * subgraph that declares it from starting (platform/server/field-policy.ts). `own` on a field is
 * decided on the object it belongs to, by the owning slice's rule for that type (the
 * `ownership` of its SubgraphDefinition): a case is its complainant's, and its respondent's
 * representatives' once forwarded to them; an account and a representation request are their
 * account holder's; an enterprise is its representatives'. Value objects only ever reached through
 * such an object (a case's complainant, timeline, evidence) are `allow` for the roles that can
 * hold one and `deny` for the others: who reaches them is decided by the field that returns them.
 */

/** The roles that can hold a case, as complainant, respondent or desk: not anonymous, not admin. */
const CASE_HOLDERS = row('deny', 'allow', 'allow', 'allow', 'deny');
/** A case's own fields: its complainant's, its respondent's representatives' once forwarded, and staff's. */
const CASE_PARTY = row('deny', 'own', 'own', 'allow', 'deny');
/** A case's filing history: its complainant and staff only (it holds every edit of the contact details). */
const CASE_COMPLAINANT_AND_STAFF = row('deny', 'own', 'deny', 'allow', 'deny');
/**
 * The complainant's contact details: their own, staff's, and the respondent's representative's once
 * the case is forwarded to that representative's enterprise (a state rule, `Case.complainant` in the
 * cases slice's ownership): before that, FORBIDDEN.
 */
const CASE_CONTACT = row('deny', 'own', 'own', 'allow', 'deny');
/**
 * The account of the token, or of the session the same answer opens (`Session.account`, returned
 * only to whoever presented the password, code or refresh token): `own` even for a caller who
 * signed in without a token.
 */
const ACCOUNT_HOLDER = row('own', 'own', 'own', 'own', 'own');
/** A representation request, its letter or an app key: the account that holds it, and the desk that decides. */
const REPRESENTATION = row('deny', 'own', 'own', 'allow', 'allow');
/** An enterprise's own cases: its representatives (forwarded ones) and staff. */
const ENTERPRISE_OWN_OR_STAFF = row('deny', 'deny', 'own', 'allow', 'deny');

const names = (list: string) => list.trim().split(/\s+/);
function rows(type: string, fields: string, rule: PolicyRow): Array<[string, PolicyRow]> {
  return names(fields).map((field) => [`${type}.${field}`, rule]);
}

export const FIELD_POLICY: Readonly<Record<string, PolicyRow>> = Object.fromEntries([
  // accounts
  ...rows('Account', 'id role contact verified createdAt representedEnterprises', ACCOUNT_HOLDER),
  // Returned only by the mutations that check a password, a code or a refresh token, to that caller.
  ...rows('Session', 'accessToken tokenType expiresIn refreshToken refreshExpiresAt enterpriseId account', PUBLIC),
  ...rows(
    'Representation',
    'accountId enterpriseId enterpriseName creditCode letter status requestedAt decidedAt',
    REPRESENTATION,
  ),
  // The letter behind a request: its uploader and the desk that decides (the download route checks the same).
  ...rows('AuthorisationLetter', 'id name mediaType size sha256 uploadedAt url', REPRESENTATION),
  // An app's key record: the account that registered it, and the desk that revokes keys and sets limits.
  ...rows('AppKey', 'id name accountId requestsPerMinute createdAt revokedAt', REPRESENTATION),
  // Returned only by registerAppKey, to the signed-in account that registered it (its root row decides).
  ...rows('RegisteredAppKey', 'appKey key', PUBLIC),
  ...rows('SecurityEvent', 'at kind accountId detail', DESK),
  ...rows('Acknowledgement', 'message', PUBLIC),
  // cases
  ...rows(
    'Case',
    'id reference status allowedActions industry issueType title description demands amount occurredOn ' +
      'contactedBusinessOn businessOutcome businessRepliedOn region respondent respondentDetails evidence ' +
      'timeline deadlines overdue version suggestedChannels escalatedTo enterpriseReply satisfaction ' +
      'submittedAt closedAt publishedAt',
    CASE_PARTY,
  ),
  ['Case.complainant', CASE_CONTACT],
  ['Case.revisions', CASE_COMPLAINANT_AND_STAFF],
  // directory: computed from the case fields the gateway passes it, for whoever may see the case.
  ['Case.escalationOptions', CASE_HOLDERS],
  ...rows('RespondentDetails', 'name creditCode address storeUrl platform', CASE_HOLDERS),
  ...rows('Complainant', 'name phone email address', CASE_HOLDERS),
  ...rows('CaseDeadlines', 'acceptBy respondBy appealBy provisional', CASE_HOLDERS),
  ...rows('TimelineEvent', 'id sequence type at actorRole fromStatus toStatus note', CASE_HOLDERS),
  ['TimelineEvent.actorId', STAFF_ONLY],
  ...rows('CaseRevision', 'version at changes', CASE_HOLDERS),
  ...rows('FieldChange', 'field before after', CASE_HOLDERS),
  ...rows('Evidence', 'id name mediaType size sha256 uploadedAt', CASE_HOLDERS),
  ...rows('CaseConnection', 'edges pageInfo', CASE_HOLDERS),
  ...rows('CaseEdge', 'cursor node', CASE_HOLDERS),
  // What the cases slice says of an enterprise depends on the caller (published facts for the public).
  ...rows('Enterprise', 'id name industry caseIndustry creditCode', PUBLIC),
  ['Enterprise.cases', ENTERPRISE_OWN_OR_STAFF],
  ...rows('PageInfo', 'hasNextPage endCursor', PUBLIC),
  // The published, redacted results: no personal data (the complainant's name is masked).
  ...rows(
    'PublishedCase',
    'id reference respondent respondentName respondentCreditCode industry issueType title facts enterpriseReply ' +
      'outcome amount submittedAt respondedAt closedAt publishedAt complainantName satisfaction',
    PUBLIC,
  ),
  ...rows('PublishedCaseConnection', 'edges pageInfo', PUBLIC),
  ...rows('PublishedCaseEdge', 'cursor node', PUBLIC),
  // directory: public reference data
  ...rows('Enterprise', 'listedIndustry channels', PUBLIC),
  ...rows(
    'Channel',
    'id name aliases operator kind standing description scope access publishesResults publishesResultsConfidence ' +
      'ruleVersion ruleVersions requiredInformation timeLimits prerequisites legalBasis deadlines sources verifiedAt ' +
      'confidence confidenceNotes',
    PUBLIC,
  ),
  ...rows('Localized', 'zhCN en', PUBLIC),
  ...rows('LegalReference', 'id regulation article version inForceFrom inForceTo confidence note', PUBLIC),
  ...rows('ChannelAccessPoint', 'type address label hours confidence', PUBLIC),
  ...rows('ChannelScope', 'industries allIndustries issueTypes allIssueTypes note', PUBLIC),
  ...rows('RequiredInformation', 'item label note legalBasis', PUBLIC),
  ...rows('ChannelTimeLimit', 'id what days dayKind startsAt legalBasis confidence note', PUBLIC),
  ...rows(
    'ChannelRule',
    'kind description days months years from proceedings items region dayKind matter otherChannels leads ' +
      'onlyForIndustries onlyForIssueTypes exceptIssueTypes legalBasis',
    PUBLIC,
  ),
  ...rows(
    'ChannelRuleVersion',
    'id title validFrom validTo confidence note legalBasis requiredInformation timeLimits prerequisites',
    PUBLIC,
  ),
  ...rows('ChannelDeadline', 'timeLimit startsOn dueOn notCoveredYear', PUBLIC),
  ...rows('ChannelSource', 'title url note', PUBLIC),
  ...rows('RecommendationReason', 'code message legalBasis ruleVersion', PUBLIC),
  ...rows(
    'ChannelRecommendation',
    'rank channel ruleVersion eligibility eligibleFrom fileBy datesProvisional reasons nextSteps ' +
      'requiredInformation deadlinesIfFiled',
    PUBLIC,
  ),
  // reputation: public listings and statistics (no complainant is named in a listing)
  ...rows('Enterprise', 'aliases reputation periodReputation rank listings', PUBLIC),
  ...rows('StatisticsPeriod', 'label from to startsAt endsBefore timeZone', PUBLIC),
  ...rows('Satisfaction', 'mean count', PUBLIC),
  ...rows(
    'ReputationFigures',
    'complaints replied completed replyRate completionRate wilsonScore medianReplyHours replyDelaySampleSize ' +
      'satisfaction',
    PUBLIC,
  ),
  ...rows('SourceReputation', 'source figures', PUBLIC),
  ...rows(
    'Trend',
    'previousPeriod previousComplaints complaintsDelta complaintsChangeRatio replyRateDelta completionRateDelta ' +
      'wilsonScoreDelta direction',
    PUBLIC,
  ),
  ...rows('IndustryRank', 'position outOf tie metric minComplaints tieRule', PUBLIC),
  ...rows(
    'Reputation',
    'window period complaints replied completed replyRate completionRate wilsonScore sampleSize medianReplyHours ' +
      'replyDelaySampleSize satisfaction trend rank bySource computedAt',
    PUBLIC,
  ),
  ...rows(
    'CountedListing',
    'source externalId url status createdAt repliedAt completedAt countedReplied countedCompleted provenance',
    PUBLIC,
  ),
  ...rows('ListingProvenance', 'origin fileSha256 fileName row importedAt', PUBLIC),
  ...rows('CountedListingConnection', 'period nodes endCursor hasNextPage', PUBLIC),
  ...rows(
    'Methodology',
    'metric order formula direction countingRule period sources minComplaints tieRule dataFreshAsOf computedAt',
    PUBLIC,
  ),
  ...rows('RankingEntry', 'position tie value enterprise name figures', PUBLIC),
  ...rows('RankingEdge', 'cursor node', PUBLIC),
  ...rows('RankingPageInfo', 'hasNextPage endCursor', PUBLIC),
  ...rows('RankingConnection', 'edges pageInfo totalCount methodology csvPath', PUBLIC),
  ...rows('ListedEnterprise', 'position tie enterprise name figures', PUBLIC),
  ...rows('RedBlackList', 'industry month size closed red black methodology', PUBLIC),
  ...rows(
    'RedBlackSnapshot',
    'id version industry month size red black methodology publishedAt contentHash csvPath',
    PUBLIC,
  ),
  ...rows('IndustryReputation', 'industry window period figures computedAt', PUBLIC),
  ...rows('ListingSourceName', 'zhCN en', PUBLIC),
  ...rows(
    'ListingSourceStatus',
    'source name status lastAttemptAt lastSuccessfulCrawlAt dataAgeSeconds recordsHeld quarantined lastError ' +
      'lastErrorAt evidence',
    PUBLIC,
  ),
]);

/**
 * Entity resolution (`_entities`), per subgraph and type: who may have a representation resolved
 * at that subgraph's port. `own` asks the slice's ownership rule for the type of the resolved
 * object, and answers null otherwise (as NOT_FOUND would, without saying the entity exists).
 */
export const ENTITY_POLICY: Readonly<Record<string, PolicyRow>> = {
  'cases:Case': CASE_PARTY,
  // The directory computes escalation options from the case fields in the representation itself.
  'directory:Case': CASE_HOLDERS,
  // The cases slice answers an enterprise with what the caller may see (published facts for the public).
  'cases:Enterprise': PUBLIC,
  'directory:Enterprise': PUBLIC,
  'reputation:Enterprise': PUBLIC,
  'directory:Channel': PUBLIC,
};

/** Whether a row lets every caller through (nothing to check at run time). */
export function isPublicRow(rule: PolicyRow): boolean {
  return POLICY_ROLES.every((role) => rule[role] === 'allow');
}
