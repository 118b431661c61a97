import {
  yearDays,
  yearOfDay,
  cstDate,
  cstDay,
  cstMonth,
  describeRange,
  monthRange,
  parseCstDate,
  previousRange,
  quarterRange,
  msUntilNextCstDay,
  rollingWindow,
} from '../../../../subgraphs/reputation/domain/windows.ts';

describe('statistics windows in China Standard Time', () => {
  test('an instant belongs to its Beijing day, not its UTC day', () => {
    // 2026-11-21T16:30Z is 00:30 on 2026-11-22 in Beijing.
    expect(cstDate(cstDay(Date.parse('2026-11-21T16:30:00Z')))).toBe('2026-11-22');
    expect(cstDate(cstDay(Date.parse('2026-11-21T15:59:59Z')))).toBe('2026-11-21');
  });

  test('LAST_7_DAYS ends on and includes the CST day of asOf', () => {
    const range = rollingWindow('LAST_7_DAYS', Date.parse('2026-11-21T16:30:00Z'));
    expect(describeRange(range)).toEqual({
      label: 'LAST_7_DAYS',
      from: '2026-11-16',
      to: '2026-11-22',
      startsAt: '2026-11-16T00:00:00+08:00',
      endsBefore: '2026-11-23T00:00:00+08:00',
      timeZone: 'Asia/Shanghai (UTC+08:00)',
    });
  });

  test('the previous rolling window has the same length and ends the day before', () => {
    const range = rollingWindow('LAST_30_DAYS', Date.parse('2026-11-22T04:00:00Z'));
    const previous = previousRange(range)!;
    expect(previous.toDay).toBe(range.fromDay - 1);
    expect(previous.toDay - previous.fromDay).toBe(range.toDay - range.fromDay);
  });

  test('ALL_TIME has no previous window', () => {
    expect(previousRange(rollingWindow('ALL_TIME', Date.parse('2026-11-22T04:00:00Z')))).toBeNull();
  });

  test('calendar months and quarters cover exactly their days, leap February included', () => {
    expect(describeRange(monthRange('2028-02')!)).toMatchObject({ from: '2028-02-01', to: '2028-02-29' });
    expect(describeRange(quarterRange('2026-Q4')!)).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
  });

  test('the month before January is December of the previous year, the quarter before Q1 is Q4', () => {
    expect(describeRange(previousRange(monthRange('2026-01')!)!)).toMatchObject({
      label: 'MONTH 2025-12',
      from: '2025-12-01',
      to: '2025-12-31',
    });
    expect(previousRange(quarterRange('2026-Q1')!)!.label).toBe('QUARTER 2025-Q4');
  });

  test('malformed months, quarters and dates are rejected with null', () => {
    expect(monthRange('2026-13')).toBeNull();
    expect(monthRange('26-01')).toBeNull();
    expect(quarterRange('2026-Q5')).toBeNull();
    expect(parseCstDate('2026-02-30')).toBeNull();
    expect(parseCstDate('2026-02-28')).toBe(cstDay(Date.parse('2026-02-28T00:00:00+08:00')));
  });

  test('the month of an instant is its Beijing month', () => {
    expect(cstMonth(Date.parse('2026-10-31T17:00:00Z'))).toBe('2026-11');
  });
});

describe('the daily window roll', () => {
  test('the next CST midnight from 23:59:00 Beijing time is one minute away', () => {
    expect(msUntilNextCstDay(Date.parse('2026-11-22T15:59:00Z'))).toBe(60_000);
  });

  test('exactly at CST midnight the next roll is a whole day away', () => {
    expect(msUntilNextCstDay(Date.parse('2026-11-22T16:00:00Z'))).toBe(86_400_000);
  });

  test("a CST day's year agrees with the calendar every day from 1969 to 2202; a year spans exactly its days", () => {
    for (let day = Date.UTC(1969, 0, 1) / 86_400_000; day <= Date.UTC(2202, 11, 31) / 86_400_000; day++) {
      const year = new Date(day * 86_400_000).getUTCFullYear();
      expect(yearOfDay(day)).toBe(year);
    }
    expect(yearDays(2024)).toEqual({
      fromDay: Date.UTC(2024, 0, 1) / 86_400_000,
      toDay: Date.UTC(2024, 11, 31) / 86_400_000,
    });
    expect(yearDays(2300)).toEqual({
      fromDay: Date.UTC(2300, 0, 1) / 86_400_000,
      toDay: Date.UTC(2300, 11, 31) / 86_400_000,
    });
  });
});
