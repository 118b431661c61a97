import { buildCatalogue } from '../../../../subgraphs/directory/domain/catalogue-validation.ts';
import { whereToComplain } from '../../../../subgraphs/directory/domain/recommend.ts';
import {
  channelConfidence,
  describeRule,
  recommendationView,
  ruleVersionView,
} from '../../../../subgraphs/directory/domain/views.ts';
import { calendar, catalogue, situation } from './fixtures.ts';

describe('rule views', () => {
  test('every rule of every channel is described in both languages', () => {
    for (const channel of catalogue.channels) {
      for (const version of channel.ruleVersions) {
        for (const rule of version.rules) {
          const text = describeRule(rule);
          expect(text.zh.length).toBeGreaterThan(3);
          expect(text.en.length).toBeGreaterThan(3);
        }
      }
    }
  });

  test('a rule view resolves its basis ids to the version’s legal references', () => {
    const view = ruleVersionView(catalogue.byId.get('miit-telecom')!.ruleVersions[0]);
    const billing = view.prerequisites.find((rule) => rule.kind === 'LIMITATION_PERIOD' && rule.months === 5)!;
    expect(billing).toMatchObject({ onlyForIssueTypes: ['BILLING'], from: 'EVENT' });
    expect(billing.legalBasis.map((reference) => reference.article)).toEqual(['Art. 11']);
    expect(billing.description.en).toBe('Not accepted more than 5 months after the event');
  });

  test('a recommendation lists each missing item with its label and the channel’s note', () => {
    const recommendation = whereToComplain(
      catalogue,
      calendar,
      situation({ prepared: [] }),
      '2026-11-20',
    ).recommendations.find((r) => r.channel.id === 'miit-telecom')!;
    const view = recommendationView(recommendation);
    expect(view.requiredInformation.find((info) => info.item === 'COMPLAINANT_CONTACT')).toMatchObject({
      label: { en: 'Your contact details (phone, address)' },
      note: { en: 'Address, phone number and postcode' },
    });
  });

  test('channel confidence is the weakest of its facts', () => {
    const channel = catalogue.byId.get('12315')!;
    expect(channelConfidence(channel, channel.ruleVersions[0])).toBe('SECONDARY_SOURCE');
    expect(channelConfidence(channel, channel.ruleVersions[1])).toBe('UNCONFIRMED');
  });
});

describe('data-only extension', () => {
  test('a new channel with its own "business first, 10 days" rule works without code changes', () => {
    const extra = {
      id: 'demo-utility',
      name: { zh: '示例公用事业投诉', en: 'Demo utility complaints' },
      operator: { zh: '示例主管部门', en: 'Demo authority' },
      kind: 'REGULATOR',
      standing: 'STATUTORY',
      description: { zh: '测试用渠道', en: 'A channel for this test' },
      scope: { industries: ['LOCAL_SERVICES'], issueTypes: 'ALL' },
      access: [{ type: 'HOTLINE', address: '00000', confidence: 'UNCONFIRMED' }],
      publishesResults: { value: false, confidence: 'UNCONFIRMED' },
      ruleVersions: [
        {
          id: 'demo-v1',
          title: { zh: '示例办法', en: 'Demo measures' },
          confidence: 'UNCONFIRMED',
          legalBasis: [
            {
              id: 'demo-art3',
              regulation: { zh: '示例办法', en: 'Demo measures' },
              article: 'Art. 3',
              version: 'Demo (2026)',
              confidence: 'UNCONFIRMED',
            },
          ],
          rules: [{ kind: 'contactBusinessFirst', days: 10, basis: ['demo-art3'] }],
        },
      ],
      sources: [{ title: 'test' }],
      verifiedAt: '2026-11-22',
    };
    const extended = buildCatalogue([{ origin: 'demo.yaml', data: extra }]);
    const answer = whereToComplain(
      extended,
      calendar,
      situation({
        industry: 'LOCAL_SERVICES',
        issueType: 'SERVICE_QUALITY',
        contactedBusinessOn: '2026-11-02',
        businessOutcome: 'NO_REPLY',
      }),
      '2026-11-12',
    );
    expect(answer.recommendations).toHaveLength(1);
    expect(answer.recommendations[0]).toMatchObject({ eligibility: 'NOT_YET', eligibleFrom: '2026-11-13' });
    expect(answer.recommendations[0].reasons.find((r) => r.code === 'WAITING_FOR_BUSINESS')!.message.en).toContain(
      'Demo (2026) Art. 3 (unconfirmed)',
    );
  });
});
