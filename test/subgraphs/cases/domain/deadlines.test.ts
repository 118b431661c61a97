import {
  acceptDeadline,
  appealOpenUntil,
  isOverdue,
  isProvisionalDeadline,
  respondDeadline,
  workingDaysAfter,
} from '../../../../subgraphs/cases/domain/deadlines.ts';
import { policy } from '../fixtures.ts';

describe('case deadlines', () => {
  test('a case submitted on 2026-09-28 must be accepted by the adjusted working Saturday 2026-10-10', () => {
    expect(acceptDeadline(policy, '2026-09-28T03:00:00+08:00')).toBe('2026-10-10');
  });

  test('an appeal period ending on a rest day runs to the next working day (National Day, weekend, new year)', () => {
    expect(appealOpenUntil(policy, '2026-09-16T03:00:00+08:00')).toBe('2026-10-08');
    expect(appealOpenUntil(policy, '2026-11-20T10:00:00+08:00')).toBe('2026-12-07');
    expect(appealOpenUntil(policy, '2026-11-11T10:00:00+08:00')).toBe('2026-11-26');
    expect(appealOpenUntil({ ...policy, appealPeriodDays: 30 }, '2099-01-01T10:00:00+08:00')).toBe('2099-02-02');
  });

  test('the submission day counts in China time: 23:30 UTC on the 27th is already the 28th in Beijing', () => {
    expect(acceptDeadline(policy, '2026-09-27T23:30:00Z')).toBe('2026-10-10');
  });

  test('a reply is due ten working days after forwarding, skipping weekends', () => {
    expect(respondDeadline(policy, '2026-11-02T02:00:00Z')).toBe('2026-11-16');
  });

  test('a year the calendar does not hold yet counts Monday to Friday instead of failing', () => {
    expect(workingDaysAfter(policy.calendar, '2026-12-30', 3)).toBe('2027-01-04');
  });

  test('a deadline counted into a year the calendar does not hold yet is provisional; one inside it is not', () => {
    expect(isProvisionalDeadline(policy.calendar, '2027-01-04')).toBe(true);
    expect(isProvisionalDeadline(policy.calendar, '2026-10-10')).toBe(false);
    expect(isProvisionalDeadline(policy.calendar, null)).toBe(false);
  });

  test('a case is overdue only after its due date has ended in China time', () => {
    const record = { pendingDeadline: '2026-10-10' };
    expect(isOverdue(record, new Date('2026-10-10T15:59:00Z'))).toBe(false);
    expect(isOverdue(record, new Date('2026-10-10T16:00:00Z'))).toBe(true);
    expect(isOverdue({ pendingDeadline: null }, new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
});
