import { ruleVersionPeriods, versionInForce } from '../../../../subgraphs/directory/domain/catalogue.ts';
import { CHANNEL_IDS } from '../../../../platform/vocabulary.ts';
import { catalogue } from './fixtures.ts';

const REQUIRED_IDS = [
  '12315',
  'blackcat',
  'miit-telecom',
  'spb-postal',
  'tencent-110',
  'isc-internet',
  '12321',
  '12377',
  'people-complaints',
  'woodpecker',
  'thepaper-quality',
  'xfb315',
  'jutousu-21cn',
  'yiwu-jiangdong',
];

describe('the channel catalogue data', () => {
  test('holds every channel id the public API promises', () => {
    expect(catalogue.channels.map((channel) => channel.id)).toEqual(expect.arrayContaining(REQUIRED_IDS));
  });

  test.each(REQUIRED_IDS)('channel %s carries names, operator, access, sources and a verifiedAt date', (id) => {
    const channel = catalogue.byId.get(id)!;
    expect(channel.name.zh).not.toBe('');
    expect(channel.name.en).not.toBe('');
    expect(channel.operator.en).not.toBe('');
    expect(channel.access.length).toBeGreaterThan(0);
    expect(channel.sources.length).toBeGreaterThan(0);
    expect(channel.verifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('12315 carries Order 20 until 2026-04-14 and Order 121 from 2026-04-15', () => {
    const channel = catalogue.byId.get('12315')!;
    expect(channel.ruleVersions.map((v) => [v.id, v.validFrom, v.validTo])).toEqual([
      ['samr-order-20', '2020-01-01', '2026-04-14'],
      ['samr-order-121', '2026-04-15', undefined],
    ]);
    expect(versionInForce(channel, '2026-04-14')?.id).toBe('samr-order-20');
    expect(versionInForce(channel, '2026-04-15')?.id).toBe('samr-order-121');
    expect(versionInForce(channel, '2019-12-31')).toBeUndefined();
    expect(ruleVersionPeriods(channel)).toBe('2020-01-01 to 2026-04-14, from 2026-04-15 on');
    const withGap = {
      ...channel,
      ruleVersions: [{ ...channel.ruleVersions[0], validTo: '2025-12-31' }, channel.ruleVersions[1]],
    };
    expect(versionInForce(withGap, '2026-02-01')).toBeUndefined();
    expect(ruleVersionPeriods(withGap)).toBe('2020-01-01 to 2025-12-31, from 2026-04-15 on');
  });

  test('Order 121: Arts. 2 and 3 are confirmed; the moved articles are cited by content and stay unconfirmed', () => {
    const order121 = catalogue.byId.get('12315')!.ruleVersions[1];
    const articles = order121.legalBasis.filter((reference) => reference.id.startsWith('o121-'));
    const confirmed = articles.filter((reference) => reference.confidence === 'CONFIRMED');
    expect(confirmed.map((reference) => reference.article)).toEqual(['Art. 2', 'Art. 3']);
    const moved = articles.filter((reference) => reference.confidence !== 'CONFIRMED');
    expect(moved.length).toBeGreaterThan(0);
    for (const reference of moved) {
      expect(reference.confidence).toBe('UNCONFIRMED');
      // Order 121 adds a new Art. 7, so an Order 20 number after it would be wrong: none is cited as "Art. N".
      expect(reference.article).not.toMatch(/^Art\. /);
    }
  });

  test('the mediation time limit under Order 121 has no figure, since the new one is unconfirmed', () => {
    const limit = catalogue.byId.get('12315')!.ruleVersions[1].timeLimits.find((t) => t.id === 'mediation-end')!;
    expect(limit.days).toBeNull();
    expect(limit.confidence).toBe('UNCONFIRMED');
  });

  test('the telecom rules carry the 15-day business-first rule and the 5-month and 2-year limits of Order 35', () => {
    const rules = catalogue.byId.get('miit-telecom')!.ruleVersions[0].rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'contactBusinessFirst', days: 15 }),
        expect.objectContaining({ kind: 'limitationPeriod', months: 5, appliesTo: { issueTypes: ['BILLING'] } }),
        expect.objectContaining({ kind: 'limitationPeriod', years: 2, appliesTo: { exceptIssueTypes: ['BILLING'] } }),
      ]),
    );
  });
});

test('the channel ids shared with the other slices (platform/vocabulary.ts) are exactly the catalogue’s', () => {
  const inCatalogue = catalogue.channels.map((channel) => channel.id).sort();
  expect([...CHANNEL_IDS].sort()).toEqual(inCatalogue);
});
