/**
 * The closed vocabularies that several subgraphs share. Each appears as a GraphQL enum in more
 * than one subgraph's SDL, and federation requires those enums to be identical wherever they are
 * used as input and output alike; test/schema/vocabulary.test.ts checks every SDL against this file.
 */
export const Industry = {
  ECOMMERCE: { zh: '电子商务', en: 'E-commerce' },
  TELECOM: { zh: '电信服务', en: 'Telecommunications' },
  POSTAL_EXPRESS: { zh: '邮政快递', en: 'Postal and express delivery' },
  INTERNET_SERVICES: { zh: '互联网信息服务', en: 'Internet information services' },
  FINANCE: { zh: '金融服务', en: 'Financial services' },
  FOOD: { zh: '食品餐饮', en: 'Food and catering' },
  TRAVEL: { zh: '旅游出行', en: 'Travel and transport' },
  EDUCATION: { zh: '教育培训', en: 'Education and training' },
  AUTOMOTIVE: { zh: '汽车', en: 'Automotive' },
  HOUSING: { zh: '房产家装', en: 'Housing and home improvement' },
  HEALTHCARE: { zh: '医疗美容健康', en: 'Healthcare and cosmetic services' },
  HOUSEHOLD_GOODS: { zh: '家电日用品', en: 'Appliances and household goods' },
  LOCAL_SERVICES: { zh: '生活服务', en: 'Local services' },
  GAMES: { zh: '网络游戏', en: 'Online games' },
  OTHER: { zh: '其他', en: 'Other' },
} as const;
export type Industry = keyof typeof Industry;
export const INDUSTRIES = Object.keys(Industry) as Industry[];

export const IssueType = {
  PRODUCT_QUALITY: { zh: '商品质量', en: 'Product quality' },
  COUNTERFEIT: { zh: '假冒伪劣', en: 'Counterfeit goods' },
  FALSE_ADVERTISING: { zh: '虚假宣传', en: 'False advertising' },
  BILLING: { zh: '计费扣费', en: 'Billing and charges' },
  REFUND: { zh: '退款退货', en: 'Refunds and returns' },
  AFTER_SALES: { zh: '售后服务', en: 'After-sales service' },
  DELIVERY: { zh: '物流配送', en: 'Delivery' },
  CONTRACT: { zh: '合同纠纷', en: 'Contract dispute' },
  SERVICE_QUALITY: { zh: '服务质量', en: 'Service quality' },
  PRICE: { zh: '价格问题', en: 'Pricing' },
  FOOD_SAFETY: { zh: '食品安全', en: 'Food safety' },
  PRIVACY: { zh: '个人信息', en: 'Personal data' },
  ACCOUNT_SECURITY: { zh: '账号安全', en: 'Account security' },
  FRAUD: { zh: '诈骗', en: 'Fraud' },
  HARMFUL_CONTENT: { zh: '违法和不良信息', en: 'Illegal or harmful content' },
  SPAM: { zh: '垃圾信息骚扰', en: 'Spam and harassing calls' },
  OTHER: { zh: '其他', en: 'Other' },
} as const;
export type IssueType = keyof typeof IssueType;
export const ISSUE_TYPES = Object.keys(IssueType) as IssueType[];

/** What the business did when the consumer complained to it first. */
export const BusinessOutcome = {
  NO_REPLY: { zh: '未答复', en: 'No reply' },
  PENDING: { zh: '处理中', en: 'Still being handled' },
  UNSATISFIED: { zh: '答复不满意', en: 'Replied, consumer unsatisfied' },
  SATISFIED: { zh: '已解决', en: 'Resolved to the consumer’s satisfaction' },
} as const;
export type BusinessOutcome = keyof typeof BusinessOutcome;
export const BUSINESS_OUTCOMES = Object.keys(BusinessOutcome) as BusinessOutcome[];

/**
 * The ids of the directory's channels. The cases slice checks escalations against them without
 * calling the directory (a slice never imports another); a directory test fails when the catalogue
 * (`subgraphs/directory/data/channels/`) and this list differ, so a new channel is added in both.
 */
export const CHANNEL_IDS = [
  '12315',
  '12321',
  '12377',
  'blackcat',
  'caac-consumer',
  'car-dealer-three-guarantees',
  'cca-consumer-association',
  'csrc-12386',
  'culture-12318',
  'douyin-ecommerce',
  'dpac-recall',
  'game-operator-refund',
  'gov-12345',
  'housing-12319',
  'isc-internet',
  'jd',
  'jutousu-21cn',
  'medical-mediation',
  'meituan',
  'miit-telecom',
  'moe-offcampus',
  'mot-12328',
  'nfra-12378',
  'nhc-12320',
  'pboc-12363',
  'people-complaints',
  'pinduoduo',
  'railway-12306',
  'spb-postal',
  'taobao-tmall',
  'tencent-110',
  'thepaper-quality',
  'tourism-complaints',
  'woodpecker',
  'xfb315',
  'yiwu-jiangdong',
] as const;
