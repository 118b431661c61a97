/**
 * The graph's enums in both languages. Typed as complete records over the generated enum types, so
 * a value added to the schema fails the type check until it has a label here.
 */
import type {
  BusinessOutcome,
  ChannelAccessType,
  DayKind,
  Eligibility,
  FactConfidence,
  Industry,
  IssueType,
  Proceeding,
  RankingMetric,
  RankingOrder,
  ReputationWindow,
} from '../gql/graphql.ts';
import type { Lang } from './i18n.ts';

/** [Simplified Chinese, English] */
export type Label = readonly [string, string];

export function label(labels: Label, lang: Lang): string {
  return lang === 'en' ? labels[1] : labels[0];
}

/** The values of a label table, in the order written (which is the order shown in a form). */
export function valuesOf<T extends string>(labels: Record<T, Label>): T[] {
  return Object.keys(labels) as T[];
}

export const INDUSTRY_LABELS: Record<Industry, Label> = {
  ECOMMERCE: ['电子商务', 'E-commerce'],
  TELECOM: ['电信服务', 'Telecommunications'],
  POSTAL_EXPRESS: ['邮政快递', 'Postal and express delivery'],
  INTERNET_SERVICES: ['互联网信息服务', 'Internet information services'],
  FINANCE: ['金融服务', 'Financial services'],
  FOOD: ['食品餐饮', 'Food and catering'],
  TRAVEL: ['旅游出行', 'Travel and transport'],
  EDUCATION: ['教育培训', 'Education and training'],
  AUTOMOTIVE: ['汽车', 'Automotive'],
  HOUSING: ['房产家装', 'Housing and home improvement'],
  HEALTHCARE: ['医疗美容健康', 'Healthcare and cosmetic services'],
  HOUSEHOLD_GOODS: ['家电日用品', 'Appliances and household goods'],
  LOCAL_SERVICES: ['生活服务', 'Local services'],
  GAMES: ['网络游戏', 'Online games'],
  OTHER: ['其他', 'Other'],
};

export const ISSUE_TYPE_LABELS: Record<IssueType, Label> = {
  PRODUCT_QUALITY: ['商品质量', 'Product quality'],
  COUNTERFEIT: ['假冒伪劣', 'Counterfeit goods'],
  FALSE_ADVERTISING: ['虚假宣传', 'False advertising'],
  BILLING: ['计费扣费', 'Billing and charges'],
  REFUND: ['退款退货', 'Refunds and returns'],
  AFTER_SALES: ['售后服务', 'After-sales service'],
  DELIVERY: ['物流配送', 'Delivery'],
  CONTRACT: ['合同纠纷', 'Contract dispute'],
  SERVICE_QUALITY: ['服务质量', 'Service quality'],
  PRICE: ['价格问题', 'Pricing'],
  FOOD_SAFETY: ['食品安全', 'Food safety'],
  PRIVACY: ['个人信息', 'Personal data'],
  ACCOUNT_SECURITY: ['账号安全', 'Account security'],
  FRAUD: ['诈骗', 'Fraud'],
  HARMFUL_CONTENT: ['违法和不良信息', 'Illegal or harmful content'],
  SPAM: ['垃圾信息骚扰', 'Spam and harassing calls'],
  OTHER: ['其他', 'Other'],
};

export const BUSINESS_OUTCOME_LABELS: Record<BusinessOutcome, Label> = {
  NO_REPLY: ['未答复', 'No reply'],
  PENDING: ['处理中', 'Still being handled'],
  UNSATISFIED: ['答复不满意', 'Replied, consumer unsatisfied'],
  SATISFIED: ['已解决', 'Resolved to the consumer’s satisfaction'],
};

export const PROCEEDING_LABELS: Record<Proceeding, Label> = {
  COURT: ['法院', 'A court'],
  ARBITRATION: ['仲裁机构', 'An arbitration body'],
  AGENCY: ['其他行政机关', 'Another administrative agency'],
  CONSUMER_ASSOCIATION: ['消费者协会', 'A consumer association'],
  MEDIATION: ['人民调解等调解组织', 'People’s mediation or another mediation body'],
  SETTLED: ['已达成并履行和解', 'A settlement already carried out'],
  SAME_CHANNEL: ['同一渠道已受理', 'The same channel already accepted it'],
};

export const ELIGIBILITY_LABELS: Record<Eligibility, Label> = {
  ELIGIBLE: ['今天即可投诉', 'Can file today'],
  NEEDS_INFORMATION: ['需补充信息', 'Needs more information'],
  NOT_YET: ['暂不可投诉', 'Not yet'],
  NOT_ACCEPTED: ['不受理', 'Not accepted'],
};

export const ACCESS_TYPE_LABELS: Record<ChannelAccessType, Label> = {
  WEB: ['网站', 'Website'],
  HOTLINE: ['电话', 'Hotline'],
  APP: ['手机应用', 'App'],
  WECHAT: ['微信公众号', 'WeChat account'],
  MINI_PROGRAM: ['小程序', 'Mini program'],
  EMAIL: ['电子邮件', 'E-mail'],
  LETTER: ['信件', 'Letter'],
};

export const CONFIDENCE_LABELS: Record<FactConfidence, Label> = {
  CONFIRMED: ['已核实', 'Confirmed'],
  SECONDARY_SOURCE: ['二手来源，未经核实', 'Secondary source, not checked'],
  UNCONFIRMED: ['未经确认', 'Unconfirmed'],
};

export const DAY_KIND_LABELS: Record<DayKind, Label> = {
  WORKING: ['个工作日', 'working days'],
  CALENDAR: ['日', 'calendar days'],
};

export const WINDOW_LABELS: Record<ReputationWindow, Label> = {
  LAST_7_DAYS: ['近 7 天', 'Last 7 days'],
  LAST_30_DAYS: ['近 30 天', 'Last 30 days'],
  LAST_90_DAYS: ['近 90 天', 'Last 90 days'],
  LAST_365_DAYS: ['近 365 天', 'Last 365 days'],
  ALL_TIME: ['全部时间', 'All time'],
};

export const METRIC_LABELS: Record<RankingMetric, Label> = {
  WILSON_SCORE: ['完成率威尔逊下限', 'Completion rate, Wilson lower bound'],
  COMPLETION_RATE: ['完成率', 'Completion rate'],
  REPLY_RATE: ['回复率', 'Reply rate'],
  COMPLAINTS: ['投诉量', 'Complaints'],
  MEDIAN_REPLY_HOURS: ['回复用时中位数（小时）', 'Median reply time (hours)'],
  SATISFACTION: ['满意度', 'Satisfaction'],
};

export const ORDER_LABELS: Record<RankingOrder, Label> = {
  BEST_FIRST: ['最好的在前', 'Best first'],
  WORST_FIRST: ['最差的在前', 'Worst first'],
};
