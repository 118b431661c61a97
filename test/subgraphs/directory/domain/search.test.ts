import { channelsForIndustry, searchChannels } from '../../../../subgraphs/directory/domain/search.ts';
import { catalogue } from './fixtures.ts';

const ids = (channels: { id: string }[]) => channels.map((channel) => channel.id);

describe('searchChannels', () => {
  test('without a filter returns the whole catalogue, strongest standing first', () => {
    const found = searchChannels(catalogue);
    expect(found).toHaveLength(catalogue.channels.length);
    expect(found[0].standing).toBe('STATUTORY');
    expect(found[0].scope.industries).not.toBe('ALL');
    expect(found.at(-1)!.standing).toBe('NEWS');
  });

  test('by industry keeps dedicated and general channels', () => {
    const found = ids(searchChannels(catalogue, { industry: 'POSTAL_EXPRESS' }));
    expect(found).toContain('spb-postal');
    expect(found).toContain('12315');
    expect(found).not.toContain('miit-telecom');
  });

  test('by issue type', () => {
    expect(ids(searchChannels(catalogue, { issueType: 'HARMFUL_CONTENT' })).sort()).toEqual([
      '12321',
      '12377',
      'culture-12318',
      'gov-12345',
      'tencent-110',
    ]);
  });

  test('by kind', () => {
    expect(ids(searchChannels(catalogue, { kind: 'LOCAL_STATION' })).sort()).toEqual([
      'medical-mediation',
      'yiwu-jiangdong',
    ]);
  });

  test.each([
    ['黑猫', 'blackcat'],
    ['black cat', 'blackcat'],
    ['BLACK CAT', 'blackcat'],
    ['12300', 'miit-telecom'],
    ['快递', 'spb-postal'],
    ['Woodpecker', 'woodpecker'],
    ['消费保', 'xfb315'],
    ['１２３７７', '12377'],
  ])('text %p finds %s over names and aliases in both languages', (text, id) => {
    expect(ids(searchChannels(catalogue, { text }))).toContain(id);
  });

  test('criteria combine', () => {
    expect(ids(searchChannels(catalogue, { industry: 'TELECOM', kind: 'REGULATOR', text: '申诉' }))).toEqual([
      'miit-telecom',
    ]);
  });
});

describe('channelsForIndustry', () => {
  test('a telecom business: the MIIT centre first, then the general channels', () => {
    const found = ids(channelsForIndustry(catalogue, 'TELECOM'));
    expect(found[0]).toBe('miit-telecom');
    expect(found).toContain('blackcat');
    expect(found).not.toContain('spb-postal');
  });

  test(
    'an e-commerce business: national dispute channels first, the Yiwu-only station after them, ' +
      'report and news channels last',
    () => {
      const found = ids(channelsForIndustry(catalogue, 'ECOMMERCE'));
      expect(found[0]).toBe('12315');
      const yiwu = found.indexOf('yiwu-jiangdong');
      for (const national of ['blackcat', 'jutousu-21cn', 'xfb315']) expect(found.indexOf(national)).toBeLessThan(yiwu);
      for (const weak of ['12321', '12377', 'tencent-110', 'thepaper-quality'])
        expect(found.indexOf(weak)).toBeGreaterThan(yiwu);
    },
  );

  test(
    'channels limited to named businesses (a marketplace, airlines) are left out: the name is not ' + 'known here',
    () => {
      expect(ids(channelsForIndustry(catalogue, 'ECOMMERCE'))).not.toContain('taobao-tmall');
      expect(ids(channelsForIndustry(catalogue, 'TRAVEL'))).not.toContain('caac-consumer');
    },
  );

  test('an unknown industry gives the general-purpose channels only', () => {
    const found = channelsForIndustry(catalogue, null);
    expect(found.every((channel) => channel.scope.industries === 'ALL')).toBe(true);
    expect(ids(found)).toContain('12315');
  });
});
