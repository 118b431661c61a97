import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addPeriod,
  addWorkingDays,
  buildHolidayCalendar,
  CalendarNotCoveredError,
  HolidayCalendarFileError,
  isWorkingDay,
  loadHolidayCalendar,
  periodNominalEnd,
} from '../../../platform/calendar/calendar.ts';

const calendar = loadHolidayCalendar();

describe('loadHolidayCalendar', () => {
  test('covers 2025 and 2026 with a source for each year', () => {
    expect(calendar.coveredYears).toEqual([2025, 2026]);
    expect(calendar.sources.get(2025)?.published).toBe('2024-11-12');
    expect(calendar.sources.get(2026)?.published).toBe('2025-11-04');
  });

  test('a broken file fails naming the field and what was expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    try {
      const path = join(dir, 'holidays.yaml');
      writeFileSync(
        path,
        'years:\n  - year: 2027\n    source: { title: x, published: 2026-11-01 }\n    holidays:\n      - ' +
          'name: { zh: 元旦, en: New Year }\n        from: 2027-01-01\n        to: 2027-01-32\n',
      );
      expect(() => loadHolidayCalendar(path)).toThrow(HolidayCalendarFileError);
      expect(() => loadHolidayCalendar(path)).toThrow(/years\.0\.holidays\.0\.to: expected a date written YYYY-MM-DD/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a worked weekend day that is a weekday is rejected', () => {
    const data = {
      years: [
        {
          year: 2026,
          source: { title: 'x', published: '2025-11-04' },
          holidays: [
            { name: { zh: 'a', en: 'a' }, from: '2026-01-01', to: '2026-01-01', workedWeekendDays: ['2026-01-05'] },
          ],
        },
      ],
    };
    expect(() => buildHolidayCalendar(data)).toThrow(
      /workedWeekendDays\.0: expected a Saturday or Sunday, got 2026-01-05/,
    );
  });

  test('a holiday dated outside its year block is rejected', () => {
    const data = {
      years: [
        {
          year: 2026,
          source: { title: 'x', published: '2025-11-04' },
          holidays: [{ name: { zh: 'a', en: 'a' }, from: '2025-12-31', to: '2026-01-01' }],
        },
      ],
    };
    expect(() => buildHolidayCalendar(data)).toThrow(/holidays\.0\.from: expected a date in 2026/);
  });
});

describe('isWorkingDay', () => {
  test.each([
    ['2026-11-23', true, 'an ordinary Monday'],
    ['2026-11-21', false, 'an ordinary Saturday'],
    ['2026-11-22', false, 'an ordinary Sunday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'the last day of the National Day break'],
    ['2026-10-10', true, 'the Saturday worked after National Day'],
    ['2026-09-20', true, 'the Sunday worked before National Day'],
    ['2026-02-23', false, 'the last (Monday) day of the Spring Festival break'],
    ['2026-02-14', true, 'the Saturday worked before Spring Festival'],
    ['2026-01-04', true, 'the Sunday worked after New Year'],
    ['2025-01-26', true, 'the 2025 Sunday worked before Spring Festival'],
    ['2025-02-08', true, 'the 2025 Saturday worked after Spring Festival'],
    ['2025-10-08', false, 'the eighth day of the 2025 National Day break'],
    ['2025-10-11', true, 'the 2025 Saturday worked after National Day'],
    ['2025-04-27', true, 'the 2025 Sunday worked before Labour Day'],
    ['2025-06-02', false, 'Dragon Boat Monday 2025'],
  ])('%s is working day = %s (%s)', (date, expected) => {
    expect(isWorkingDay(calendar, date)).toBe(expected);
  });

  test('a date in an uncovered year raises CalendarNotCoveredError carrying the year', () => {
    expect(() => isWorkingDay(calendar, '2027-03-01')).toThrow(CalendarNotCoveredError);
    try {
      isWorkingDay(calendar, '2024-12-31');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarNotCoveredError);
      expect((error as CalendarNotCoveredError).year).toBe(2024);
    }
  });
});

describe('addWorkingDays', () => {
  test('2026-09-28 plus 7 working days crosses National Day to 2026-10-13 (12315 acceptance)', () => {
    expect(addWorkingDays(calendar, '2026-09-28', 7)).toBe('2026-10-13');
  });

  test('2026-09-28 plus 5 working days lands on the worked Saturday 2026-10-10', () => {
    expect(addWorkingDays(calendar, '2026-09-28', 5)).toBe('2026-10-10');
  });

  test('does not count the start day: a Friday plus 1 working day is the next Monday', () => {
    expect(addWorkingDays(calendar, '2026-11-20', 1)).toBe('2026-11-23');
  });

  test('starting on a Saturday, 1 working day is the Monday', () => {
    expect(addWorkingDays(calendar, '2026-11-21', 1)).toBe('2026-11-23');
  });

  test('crosses the 2025 Spring Festival, counting the worked Saturday 2025-02-08', () => {
    // 2025-01-27 (Mon) → 2025-02-05 (Wed) 1, 02-06 2, 02-07 3, 02-08 (worked Sat) 4
    expect(addWorkingDays(calendar, '2025-01-27', 4)).toBe('2025-02-08');
  });

  test('crosses from 2025 into 2026, skipping New Year and counting the worked Sunday 2026-01-04', () => {
    expect(addWorkingDays(calendar, '2025-12-30', 1)).toBe('2025-12-31');
    expect(addWorkingDays(calendar, '2025-12-30', 2)).toBe('2026-01-04');
    expect(addWorkingDays(calendar, '2025-12-30', 3)).toBe('2026-01-05');
  });

  test('zero working days gives the start date', () => {
    expect(addWorkingDays(calendar, '2026-11-23', 0)).toBe('2026-11-23');
  });

  test('running past the end of the covered years raises CalendarNotCoveredError for 2027', () => {
    expect(() => addWorkingDays(calendar, '2026-12-28', 10)).toThrow(CalendarNotCoveredError);
  });

  test('a start date in an uncovered year raises CalendarNotCoveredError', () => {
    expect(() => addWorkingDays(calendar, '2024-12-30', 1)).toThrow(CalendarNotCoveredError);
  });
});

describe('addPeriod (Civil Code Art. 201–203)', () => {
  test('a days period does not count the first day', () => {
    expect(addPeriod(calendar, '2026-11-02', { days: 15 })).toBe('2026-11-17');
  });

  test('a period ending on a Sunday moves to the Monday', () => {
    expect(addPeriod(calendar, '2026-11-07', { days: 15 })).toBe('2026-11-23');
  });

  test('a period ending inside National Day moves to the first working day after it', () => {
    expect(addPeriod(calendar, '2026-09-17', { days: 15 })).toBe('2026-10-08');
  });

  test('a period ending on the worked Saturday 2026-10-10 stays there', () => {
    expect(addPeriod(calendar, '2026-09-25', { days: 15 })).toBe('2026-10-10');
  });

  test('months end on the corresponding day', () => {
    expect(addPeriod(calendar, '2026-03-17', { months: 5 })).toBe('2026-08-17');
  });

  test('months clamp to the last day of a shorter month', () => {
    expect(periodNominalEnd('2026-01-31', { months: 1 })).toBe('2026-02-28');
    expect(addPeriod(calendar, '2026-03-31', { months: 1 })).toBe('2026-04-30');
    // 2026-02-28 is a Saturday, but a worked one, so the clamped day stands
    expect(addPeriod(calendar, '2025-08-31', { months: 6 })).toBe('2026-02-28');
  });

  test('years end on the corresponding day, 29 February clamping to the 28th', () => {
    expect(periodNominalEnd('2024-02-29', { years: 1 })).toBe('2025-02-28');
    expect(addPeriod(calendar, '2024-03-10', { years: 2 })).toBe('2026-03-10');
  });

  test('a last day in an uncovered year raises CalendarNotCoveredError with that year', () => {
    expect(() => addPeriod(calendar, '2026-06-01', { years: 3 })).toThrow(CalendarNotCoveredError);
    try {
      addPeriod(calendar, '2026-06-01', { years: 3 });
    } catch (error) {
      expect((error as CalendarNotCoveredError).year).toBe(2029);
    }
  });

  test('the nominal end needs no calendar and works for any year', () => {
    expect(periodNominalEnd('2026-06-01', { years: 3 })).toBe('2029-06-01');
  });
});
