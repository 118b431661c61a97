import { z } from 'zod';
import { isIsoDate } from '../../../platform/calendar/dates.ts';
import { INDUSTRIES, ISSUE_TYPES } from '../../../platform/vocabulary.ts';

/**
 * The channel catalogue's shape. The catalogue is reviewed data (one YAML file per channel under
 * `subgraphs/directory/data/channels/`), so its schema doubles as the editor's checklist: every
 * message names the channel, the field and what was expected. The checks beyond one field's shape
 * are in catalogue-validation.ts; reading the files is data/load.ts.
 */

export const ChannelKind = {
  REGULATOR: { zh: '监管部门', en: 'Regulator' },
  INDUSTRY_ASSOCIATION: { zh: '行业协会', en: 'Industry association' },
  MEDIA: { zh: '媒体', en: 'Media' },
  PLATFORM: { zh: '投诉平台', en: 'Complaint platform' },
  REPORTING_CENTRE: { zh: '举报中心', en: 'Reporting centre' },
  LOCAL_STATION: { zh: '地方维权站', en: 'Local rights station' },
  BUSINESS: {
    zh: '商家或平台自身的投诉渠道',
    en: 'The business’s or its platform’s own complaint channel',
  },
} as const;
export type ChannelKind = keyof typeof ChannelKind;

/**
 * How much weight a channel carries in a dispute, strongest first. It orders recommendations of
 * equal eligibility and is always explained by a reason, never shown as a bare score.
 * `takesUpDisputes` is false for channels that only take reports or run news stories: however
 * usable today, they are listed after every channel that takes up the consumer's own dispute.
 */
export const Standing = {
  STATUTORY: {
    rank: 5,
    takesUpDisputes: true,
    zh: '依法设立的受理机构，受规章时限约束',
    en: 'A body set up by law, bound by regulatory time limits',
  },
  MEDIATION: {
    rank: 4,
    takesUpDisputes: true,
    zh: '行业或消费者组织调解',
    en: 'Mediation by an industry or consumer organisation',
  },
  PUBLICITY: {
    rank: 3,
    takesUpDisputes: true,
    zh: '转交商家并公开，靠舆论压力',
    en: 'Forwards to the business and publishes; relies on public pressure',
  },
  /**
   * The business's (or its marketplace's) own dispute channel. Weak once the business has been asked,
   * but the first stop before that: `whereToComplain` lists it first while the situation says the
   * business has not been contacted.
   */
  BUSINESS: {
    rank: 2,
    takesUpDisputes: true,
    zh: '商家或平台自身的处理渠道，应先找它协商',
    en: 'The business’s or its platform’s own channel, the first place to ask',
  },
  REPORT: {
    rank: 1,
    takesUpDisputes: false,
    zh: '举报线索，不调解个人纠纷',
    en: 'Takes reports; does not mediate individual disputes',
  },
  NEWS: {
    rank: 0,
    takesUpDisputes: false,
    zh: '新闻报道栏目，无确认的受理程序',
    en: 'A news column with no confirmed intake procedure',
  },
} as const;
export type Standing = keyof typeof Standing;

export const Confidence = {
  CONFIRMED: { zh: '已核实', en: 'Confirmed' },
  SECONDARY_SOURCE: {
    zh: '来自二手资料，未与官方原文核对',
    en: 'From a secondary source, not checked against the official text',
  },
  UNCONFIRMED: { zh: '未能核实', en: 'Unconfirmed' },
} as const;
export type Confidence = keyof typeof Confidence;

export const AccessType = {
  WEB: { zh: '网站', en: 'Website' },
  HOTLINE: { zh: '电话', en: 'Hotline' },
  APP: { zh: '手机应用', en: 'App' },
  WECHAT: { zh: '微信', en: 'WeChat' },
  MINI_PROGRAM: { zh: '小程序', en: 'Mini program' },
  EMAIL: { zh: '电子邮件', en: 'E-mail' },
  LETTER: { zh: '信件', en: 'Letter' },
} as const;
export type AccessType = keyof typeof AccessType;

/** Pieces of information a complaint must contain; the engine knows which a situation supplies. */
export const InformationItem = {
  COMPLAINANT_NAME: { zh: '投诉人姓名', en: 'Your name' },
  COMPLAINANT_CONTACT: { zh: '投诉人联系方式（电话、地址等）', en: 'Your contact details (phone, address)' },
  RESPONDENT_NAME: { zh: '被投诉方名称', en: 'The name of the business complained about' },
  RESPONDENT_ADDRESS: { zh: '被投诉方地址', en: 'The address of the business complained about' },
  RESPONDENT_REGION: { zh: '被投诉方所在地区', en: 'Where the business is located' },
  DEMAND: { zh: '具体诉求', en: 'What you ask for' },
  FACTS: { zh: '事实经过', en: 'What happened' },
  EVIDENCE: { zh: '证据材料（票据、截图、合同等）', en: 'Evidence (receipts, screenshots, contract)' },
  EVENT_DATE: { zh: '事发日期', en: 'When it happened' },
  AMOUNT: { zh: '涉及金额', en: 'The amount involved' },
  SERVICE_NUMBER: {
    zh: '相关号码（手机号、快递单号、订单号）',
    en: 'The number concerned (phone number, tracking or order number)',
  },
  BUSINESS_CONTACT_DATE: { zh: '向商家投诉的日期', en: 'When you complained to the business' },
  BUSINESS_REPLY: { zh: '商家的答复或处理情况', en: 'The business’s reply or how it handled your complaint' },
} as const;
export type InformationItem = keyof typeof InformationItem;

/** Proceedings that bar a new complaint when the matter is already before them. */
export const Proceeding = {
  COURT: { zh: '法院诉讼', en: 'a court' },
  ARBITRATION: { zh: '仲裁机构', en: 'an arbitration body' },
  AGENCY: { zh: '其他行政机关', en: 'another administrative agency' },
  CONSUMER_ASSOCIATION: { zh: '消费者协会', en: 'a consumer association' },
  MEDIATION: { zh: '人民调解或其他调解组织', en: 'people’s mediation or another mediation body' },
  SETTLED: { zh: '已和解并履行', en: 'a settlement already carried out' },
  SAME_CHANNEL: { zh: '本渠道已受理同一事项', en: 'this channel, which already accepted the same matter' },
} as const;
export type Proceeding = keyof typeof Proceeding;

export const DayKind = { WORKING: { zh: '工作日', en: 'working days' }, CALENDAR: { zh: '日', en: 'days' } } as const;
export type DayKind = keyof typeof DayKind;

/** When a time limit starts running. */
export const TimeLimitStart = {
  FILING: { zh: '提交投诉之日', en: 'the day the complaint is filed' },
  ACCEPTANCE: { zh: '受理之日', en: 'the day the complaint is accepted' },
  COMPLETE_MATERIALS: { zh: '材料齐全之日', en: 'the day the file is complete' },
  FORWARDING: { zh: '转交企业之日', en: 'the day the complaint is passed to the business' },
} as const;
export type TimeLimitStart = keyof typeof TimeLimitStart;

const keysOf = <T extends Record<string, unknown>>(object: T) =>
  Object.keys(object) as [keyof T & string, ...(keyof T & string)[]];

const isoDate = z.string().refine(isIsoDate, 'a date written YYYY-MM-DD');
const localized = z.strictObject(
  { zh: z.string().min(1, 'Chinese text'), en: z.string().min(1, 'English text') },
  'an object with only zh and en texts (quote a text that contains a comma)',
);
const confidence = z.enum(keysOf(Confidence));
const industry = z.enum(INDUSTRIES as [string, ...string[]]);
const issueType = z.enum(ISSUE_TYPES as [string, ...string[]]);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case slug (letters, digits, dashes)');

const legalReference = z.strictObject({
  id: slug,
  regulation: localized,
  article: z.string().min(1),
  version: z.string().min(1),
  inForceFrom: isoDate.optional(),
  inForceTo: isoDate.optional(),
  confidence,
  note: localized.optional(),
});

const accessPoint = z.strictObject({
  type: z.enum(keysOf(AccessType)),
  address: z.string().min(1),
  label: localized.optional(),
  hours: localized.optional(),
  confidence,
});

const requiredInformation = z.strictObject({
  item: z.enum(keysOf(InformationItem)),
  note: localized.optional(),
  basis: z.array(slug).default([]),
});

const timeLimit = z.strictObject({
  id: slug,
  what: localized,
  days: z.number().int().positive().nullable(),
  dayKind: z.enum(keysOf(DayKind)),
  startsAt: z.enum(keysOf(TimeLimitStart)),
  basis: z.array(slug).default([]),
  confidence,
  note: localized.optional(),
});

/** Which situations a rule applies to; an absent list means "all". */
const ruleScope = z
  .object({
    issueTypes: z.array(issueType).optional(),
    exceptIssueTypes: z.array(issueType).optional(),
    industries: z.array(industry).optional(),
  })
  .default({});

const ruleCommon = { basis: z.array(slug).min(1, 'at least one legal basis id'), appliesTo: ruleScope };

export const ruleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('contactBusinessFirst'),
      /** The business's own handling period; Civil Code counting, so the channel opens the day after. */
      days: z.number().int().positive(),
      /** Calendar days unless the rule counts working days (e.g. an airline's 10 working days). */
      dayKind: z.enum(keysOf(DayKind)).default('CALENDAR'),
      ...ruleCommon,
    }),
    z.strictObject({
      kind: z.literal('limitationPeriod'),
      days: z.number().int().positive().optional(),
      months: z.number().int().positive().optional(),
      years: z.number().int().positive().optional(),
      from: z.enum(['EVENT', 'KNOWLEDGE']),
      ...ruleCommon,
    }),
    z.strictObject({
      kind: z.literal('notAlreadyBefore'),
      proceedings: z.array(z.enum(keysOf(Proceeding))).min(1),
      ...ruleCommon,
    }),
    z.strictObject({
      kind: z.literal('requiredFacts'),
      items: z.array(z.enum(keysOf(InformationItem))).min(1),
      ...ruleCommon,
    }),
    z.strictObject({
      /**
       * A matter outside the channel's remit (e.g. banking for 12315): NOT_ACCEPTED, naming the
       * channels that do handle it. `appliesTo` says which industries and issue types are outside.
       */
      kind: z.literal('outsideRemit'),
      matter: localized,
      handledBy: z.array(slug).min(1, 'at least one channel id that handles the matter'),
      ...ruleCommon,
    }),
    z.strictObject({
      /**
       * A matter two regulators may both take (a phone bought online: the handset for 12315, the line
       * for MIIT). Said as a reason; `leads` marks the channel primarily responsible for these issue
       * types, which ranks first.
       */
      kind: z.literal('sharedRemit'),
      matter: localized,
      sharedWith: z.array(slug).min(1, 'at least one channel id the matter is shared with'),
      leads: z.boolean(),
      ...ruleCommon,
    }),
    z.strictObject({
      kind: z.literal('respondentInRegion'),
      /** Names that identify the region in a free-text `region`, in either language. */
      regionNames: z.array(z.string().min(1)).min(1),
      region: localized,
      ...ruleCommon,
    }),
  ],
  'a rule whose kind is contactBusinessFirst, limitationPeriod, notAlreadyBefore, requiredFacts, ' +
    'outsideRemit, sharedRemit or respondentInRegion',
);

const ruleVersion = z.strictObject({
  id: slug,
  title: localized,
  validFrom: isoDate.optional(),
  validTo: isoDate.optional(),
  confidence,
  note: localized.optional(),
  legalBasis: z.array(legalReference).default([]),
  requiredInformation: z.array(requiredInformation).default([]),
  timeLimits: z.array(timeLimit).default([]),
  rules: z.array(ruleSchema).default([]),
});

const scopeList = <T extends z.ZodType>(item: T) => z.union([z.literal('ALL'), z.array(item).min(1)]);

export const channelSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case slug such as 12315 or miit-telecom'),
  name: localized,
  aliases: z.array(z.string().min(1)).default([]),
  operator: localized,
  kind: z.enum(keysOf(ChannelKind)),
  standing: z.enum(keysOf(Standing)),
  /** The kind of proceeding a complaint here counts as for other channels' "not already before" rules. */
  countsAs: z.enum(keysOf(Proceeding)).optional(),
  description: localized,
  scope: z.strictObject({
    industries: scopeList(industry),
    issueTypes: scopeList(issueType),
    /**
     * Names or keywords (either language) that identify the businesses the channel is for: a
     * marketplace (淘宝), or a sector inside an industry (航空 for air travel). Matched in the situation's
     * `platform` or respondent name; when set, the channel is considered only when one matches.
     */
    businessNames: z.array(z.string().min(1)).min(1).optional(),
    note: localized.optional(),
  }),
  /**
   * A hotline that routes every kind of matter to the department in charge (12345): ranked after the
   * channels dedicated to the matter and after the general regulators of equal standing.
   */
  catchAll: z.boolean().default(false),
  access: z.array(accessPoint).min(1, 'at least one access point'),
  publishesResults: z.strictObject({ value: z.boolean(), confidence, note: localized.optional() }),
  ruleVersions: z.array(ruleVersion).min(1, 'at least one rule version'),
  sources: z
    .array(z.strictObject({ title: z.string().min(1), url: z.string().min(1).optional(), note: z.string().optional() }))
    .min(1, 'at least one source'),
  verifiedAt: isoDate,
  confidenceNotes: z.array(localized).default([]),
});

export type Localized = z.infer<typeof localized>;
export type LegalReference = z.infer<typeof legalReference>;
export type AccessPoint = z.infer<typeof accessPoint>;
export type RequiredInformation = z.infer<typeof requiredInformation>;
export type TimeLimit = z.infer<typeof timeLimit>;
export type Rule = z.infer<typeof ruleSchema>;
export type RuleKind = Rule['kind'];
export type RuleVersion = z.infer<typeof ruleVersion>;
export type ChannelData = z.infer<typeof channelSchema>;
export type Channel = ChannelData & { ruleVersions: RuleVersion[] };

export interface Catalogue {
  readonly channels: readonly Channel[];
  readonly byId: ReadonlyMap<string, Channel>;
}

/** The rule version in force on `asOf`, or undefined before the first recorded version. */
export function versionInForce(channel: Channel, asOf: string): RuleVersion | undefined {
  return channel.ruleVersions.find(
    (version) => (!version.validFrom || version.validFrom <= asOf) && (!version.validTo || asOf <= version.validTo),
  );
}

/**
 * The periods the channel's rule versions cover, for an error about a date outside them
 * ("2019-01-01 to 2023-12-31, from 2024-03-01 on").
 */
export function ruleVersionPeriods(channel: Channel): string {
  return channel.ruleVersions
    .map(({ validFrom, validTo }) =>
      validFrom && validTo
        ? `${validFrom} to ${validTo}`
        : validFrom
          ? `from ${validFrom} on`
          : validTo
            ? `until ${validTo}`
            : 'any date',
    )
    .join(', ');
}
