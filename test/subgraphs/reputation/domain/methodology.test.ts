import { buildMethodology, cstTimestamp } from '../../../../subgraphs/reputation/domain/methodology.ts';
import { rollingWindow } from '../../../../subgraphs/reputation/domain/windows.ts';

describe('ranking methodology', () => {
  const asOf = Date.parse('2026-11-22T04:00:00Z');
  const base = {
    metric: 'WILSON_SCORE' as const,
    order: 'BEST_FIRST' as const,
    range: rollingWindow('LAST_90_DAYS', asOf),
    minComplaints: 30,
    computedAt: asOf,
  };

  test('states the formula, exact CST dates, sources, minimum sample and tie rule', () => {
    const m = buildMethodology({ ...base, sources: ['jutousu', 'blackcat'], lastCrawlBySource: new Map() });
    expect(m.formula).toContain('z = 1.959964');
    expect(m.window).toMatchObject({ from: '2026-08-25', to: '2026-11-22', startsAt: '2026-08-25T00:00:00+08:00' });
    expect(m.window.timeZone).toContain('UTC+08:00');
    expect(m.sources).toEqual(['blackcat', 'jutousu']);
    expect(m.minComplaints).toBe(30);
    expect(m.tieRule).toContain('1224');
    expect(m.computedAt).toBe('2026-11-22T12:00:00+08:00');
  });

  test('data freshness is the oldest last crawl among the sources used', () => {
    const crawls = new Map([
      ['blackcat', Date.parse('2026-11-22T01:00:00Z')],
      ['jutousu', Date.parse('2026-11-20T01:00:00Z')],
      ['12315', Date.parse('2026-01-01T00:00:00Z')],
    ]);
    const m = buildMethodology({ ...base, sources: ['blackcat', 'jutousu'], lastCrawlBySource: crawls });
    expect(m.dataFreshAsOf).toBe(cstTimestamp(Date.parse('2026-11-20T01:00:00Z')));
  });

  test('freshness is unknown (null) when a source used has never been crawled', () => {
    const m = buildMethodology({
      ...base,
      sources: ['blackcat', 'weiquan'],
      lastCrawlBySource: new Map([['blackcat', asOf]]),
    });
    expect(m.dataFreshAsOf).toBeNull();
  });
});
