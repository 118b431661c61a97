import { loadHolidayCalendar } from '../../../platform/calendar/index.ts';
import { Role, type Actor } from '../../../platform/context.ts';
import { enterpriseResolver } from '../../../platform/enterprise/aliases.ts';
import type { CasePolicy } from '../../../subgraphs/cases/domain/deadlines.ts';
import { newCase, validateFiling, type FilingInput } from '../../../subgraphs/cases/domain/filing.ts';
import type { CaseRecord } from '../../../subgraphs/cases/domain/model.ts';

export const policy: CasePolicy = {
  calendar: loadHolidayCalendar(),
  acceptWorkingDays: 5,
  respondWorkingDays: 10,
  appealPeriodDays: 15,
};

/** A valid unified social credit code (check character computed). */
export const CREDIT_CODE = '91110000802100433B';

export const complainant: Actor = { id: 'user-zhang', role: Role.Complainant };
export const otherComplainant: Actor = { id: 'user-li', role: Role.Complainant };
export const staff: Actor = { id: 'staff-1', role: Role.Staff };
export const system: Actor = { id: 'scheduler', role: Role.System };

export function filing(overrides: Partial<FilingInput> = {}): FilingInput {
  return {
    complainant: { name: '张三丰', phone: '13800138000', email: 'zhang@example.com', address: '北京市朝阳区某某路1号' },
    respondent: { name: '某某电器旗舰店', platform: '某电商平台', storeUrl: 'https://shop.example.com/store/1' },
    industry: 'ECOMMERCE',
    issueType: 'REFUND',
    title: '空调退款不到账',
    description: '2026年10月购买的空调安装后无法制冷，商家同意退货但至今未退款，联系电话13800138000。',
    demands: '全额退款 2999 元',
    amount: 2999,
    occurredOn: '2026-10-20',
    region: '北京市',
    contactedBusinessOn: '2026-10-22',
    businessOutcome: 'UNSATISFIED',
    businessRepliedOn: '2026-10-25',
    ...overrides,
  };
}

export const NOW = new Date('2026-11-20T02:00:00Z');

/** A freshly filed case (reference set as the store would). */
export function filedCase(now = NOW, actor = complainant, input = filing()): CaseRecord {
  const content = validateFiling(input, enterpriseResolver(), now);
  const { record } = newCase(content, actor, now, policy);
  return { ...record, reference: 'WQ-TEST-000001' };
}

export function enterpriseActor(record: CaseRecord): Actor {
  return { id: 'rep-1', role: Role.Enterprise, enterpriseId: record.respondent.enterpriseId };
}

export function at(iso: string): Date {
  return new Date(iso);
}
