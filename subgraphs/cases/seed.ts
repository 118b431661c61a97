import { addDays, chinaDateOf, loadHolidayCalendar } from '../../platform/calendar/index.ts';
import { Role, type Actor } from '../../platform/context.ts';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import type { CasePolicy } from './domain/deadlines.ts';
import type { FilingInput } from './domain/filing.ts';
import { CaseAction, type ActionInput } from './domain/lifecycle.ts';
import type { NotificationRecipients } from './domain/outbox.ts';
import { performCaseAction, submitCase, type CaseCommandDeps } from './commands.ts';
import type { CaseRepository } from './store/case-repository.ts';

/** Demo accounts, so a fresh install can be explored with `issueToken` for these ids. */
export const DEMO_ACTORS = {
  complainant: { id: 'demo-complainant', role: Role.Complainant } as Actor,
  otherComplainant: { id: 'demo-complainant-2', role: Role.Complainant } as Actor,
  staff: { id: 'demo-staff', role: Role.Staff } as Actor,
};

/** Demo filings reach no one: no e-mail addresses, no webhooks. */
const SILENT: NotificationRecipients = { staffEmail: null, staffWebhook: null, enterpriseWebhook: () => null };

interface DemoStory {
  filedDaysAgo: number;
  actor: Actor;
  filing: (today: string) => FilingInput;
  /** Steps after filing: [days after filing, action, who]. */
  steps: Array<[number, ActionInput, 'staff' | 'enterprise' | 'complainant']>;
}

const day = (today: string, ago: number) => addDays(today, -ago);

const STORIES: DemoStory[] = [
  {
    filedDaysAgo: 40,
    actor: DEMO_ACTORS.complainant,
    filing: (today) => ({
      complainant: { name: '陈晓明', phone: '13700001111' },
      respondent: { name: '演示优品商城有限公司', platform: '演示优品商城' },
      industry: 'ECOMMERCE',
      issueType: 'DELIVERY',
      title: '冰箱送达时外壳凹陷',
      description: '自营下单的冰箱送货上门时外壳明显凹陷，快递员不让开箱验货，签收后申请换货被以“已签收”为由拒绝。',
      demands: '更换全新冰箱或退货退款',
      amount: 3299,
      occurredOn: day(today, 45),
      contactedBusinessOn: day(today, 44),
      businessOutcome: 'UNSATISFIED',
      businessRepliedOn: day(today, 43),
      region: '北京市',
    }),
    steps: [
      [1, { action: CaseAction.Accept }, 'staff'],
      [2, { action: CaseAction.Forward }, 'staff'],
      [6, { action: CaseAction.Respond, reply: '经核实为运输损坏，已安排上门换新并补偿 200 元购物券。' }, 'enterprise'],
      [8, { action: CaseAction.ConfirmResolution, satisfaction: 4 }, 'complainant'],
      [9, { action: CaseAction.Close, reason: '消费者确认已解决' }, 'staff'],
      [10, { action: CaseAction.Publish }, 'staff'],
    ],
  },
  {
    filedDaysAgo: 12,
    actor: DEMO_ACTORS.complainant,
    filing: (today) => ({
      complainant: { name: '陈晓明', phone: '13700001111' },
      respondent: { name: '演示乐淘电子商务有限公司', storeUrl: 'https://shop.example.com/letao' },
      industry: 'ECOMMERCE',
      issueType: 'REFUND',
      title: '未成年人误购申请退款',
      description:
        '孩子使用家长手机在商城连续下单 1280 元的游戏点卡，家长未授权，提交未成年人退款申请后一直显示审核中。',
      demands: '退还未成年人消费款 1280 元',
      amount: 1280,
      occurredOn: day(today, 20),
      contactedBusinessOn: day(today, 18),
      businessOutcome: 'PENDING',
      region: '广东省',
    }),
    steps: [
      [1, { action: CaseAction.Accept }, 'staff'],
      [2, { action: CaseAction.Forward }, 'staff'],
    ],
  },
  {
    filedDaysAgo: 2,
    actor: DEMO_ACTORS.otherComplainant,
    filing: (today) => ({
      complainant: { name: '刘芳', phone: '15900002222' },
      respondent: { name: '演示通信服务有限公司', address: '北京市西城区示例大街 29 号' },
      industry: 'TELECOM',
      issueType: 'BILLING',
      title: '套餐外被收取增值业务费',
      description: '连续三个月话费账单中出现未订购的视频彩铃业务费，每月 10 元，营业厅称需自行在 App 退订。',
      demands: '退还三个月增值业务费 30 元并取消业务',
      amount: 30,
      occurredOn: day(today, 10),
      contactedBusinessOn: day(today, 8),
      businessOutcome: 'UNSATISFIED',
      businessRepliedOn: day(today, 7),
      region: '北京市',
    }),
    steps: [],
  },
  {
    filedDaysAgo: 30,
    actor: DEMO_ACTORS.otherComplainant,
    filing: (today) => ({
      complainant: { name: '刘芳', phone: '15900002222' },
      respondent: { name: '演示速达快递有限公司', platform: '演示速达 App' },
      industry: 'POSTAL_EXPRESS',
      issueType: 'DELIVERY',
      title: '快件丢失只按运费赔偿',
      description: '寄出的一部二手手机在转运中丢失，寄件时未保价，快递公司只同意按运费三倍赔偿。',
      demands: '按实际价值赔偿 1500 元',
      amount: 1500,
      occurredOn: day(today, 35),
      contactedBusinessOn: day(today, 34),
      businessOutcome: 'UNSATISFIED',
      businessRepliedOn: day(today, 33),
      region: '浙江省',
    }),
    steps: [
      [2, { action: CaseAction.Reject, reason: '未保价快件的赔偿争议请先向邮政管理部门申诉（12305）。' }, 'staff'],
      [20, { action: CaseAction.Close, reason: '申诉期内未申诉' }, 'staff'],
      [21, { action: CaseAction.Publish }, 'staff'],
    ],
  },
  {
    filedDaysAgo: 8,
    actor: DEMO_ACTORS.complainant,
    filing: (today) => ({
      complainant: { name: '陈晓明', phone: '13700001111' },
      respondent: { name: '示例健身工作室', address: '上海市徐汇区示例路 66 号' },
      industry: 'LOCAL_SERVICES',
      issueType: 'CONTRACT',
      title: '健身卡门店关闭无法退费',
      description: '办理的年卡使用两个月后门店突然停业，剩余十个月费用无人退还，店长电话无人接听。',
      demands: '按剩余月份退还 2500 元',
      amount: 2500,
      occurredOn: day(today, 15),
      region: '上海市',
    }),
    steps: [[1, { action: CaseAction.Withdraw, reason: '已通过银行信用卡拒付解决' }, 'complainant']],
  },
];

/**
 * A small, realistic demo data set (one case in each interesting state: published resolved,
 * forwarded, submitted, published rejected, withdrawn), created through the same commands as
 * real filings, so timelines and deadlines are genuine. Does nothing if the store already holds
 * cases. Returns how many cases it created.
 */
export async function seedDemoCases(
  repo: CaseRepository,
  now: Date,
  options: { policy?: CasePolicy } = {},
): Promise<number> {
  if ((await repo.countCases()) > 0) return 0;
  const deps: CaseCommandDeps = {
    repo,
    policy: options.policy ?? {
      calendar: loadHolidayCalendar(),
      acceptWorkingDays: 5,
      respondWorkingDays: 10,
      appealPeriodDays: 15,
    },
    recipients: SILENT,
    resolver: enterpriseResolver(),
    evidence: null,
  };
  const today = chinaDateOf(now);
  const ms = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  for (const story of STORIES) {
    const filedAt = ms(story.filedDaysAgo);
    const record = await submitCase(deps, story.actor, story.filing(today), filedAt);
    for (const [after, input, who] of story.steps) {
      const actor: Actor =
        who === 'staff'
          ? DEMO_ACTORS.staff
          : who === 'complainant'
            ? story.actor
            : { id: 'demo-rep', role: Role.Enterprise, enterpriseId: record.respondent.enterpriseId };
      await performCaseAction(deps, actor, record.id, input, ms(story.filedDaysAgo - after));
    }
  }
  return STORIES.length;
}
