import {
  addDays,
  addMonthsClamped,
  chinaDateOf,
  dayOfWeek,
  dayOfWeekOfDayNumber,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  toDayNumber,
} from '../../../platform/calendar/dates.ts';

describe('date strings', () => {
  test.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2024-02-29', true],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['20260101', false],
  ])('isIsoDate(%p) is %p', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  test('addDays crosses month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  test('daysBetween is negative when the second date is earlier', () => {
    expect(daysBetween('2026-11-22', '2026-11-20')).toBe(-2);
  });

  test('addMonthsClamped keeps the day or clamps to the month end', () => {
    expect(addMonthsClamped('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsClamped('2026-03-31', -1)).toBe('2026-02-28');
  });

  test('day numbers round-trip and know the weekday', () => {
    expect(fromDayNumber(toDayNumber('2026-11-22'))).toBe('2026-11-22');
    expect(dayOfWeekOfDayNumber(toDayNumber('2026-11-22'))).toBe(dayOfWeek('2026-11-22'));
    expect(dayOfWeek('2026-11-22')).toBe(0);
  });

  test('chinaDateOf reads the instant in China Standard Time', () => {
    expect(chinaDateOf(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(chinaDateOf(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
  });
});
