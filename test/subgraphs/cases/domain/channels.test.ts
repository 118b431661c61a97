import { CHANNEL_IDS, INDUSTRIES, ISSUE_TYPES } from '../../../../platform/vocabulary.ts';
import { suggestedChannelIds } from '../../../../subgraphs/cases/domain/channels.ts';

test('every suggested channel, for every industry and issue type, is a channel of the directory', () => {
  const known = new Set<string>(CHANNEL_IDS);
  for (const industry of INDUSTRIES)
    for (const issueType of ISSUE_TYPES)
      for (const id of suggestedChannelIds(industry, issueType))
        expect({ industry, issueType, id, known: known.has(id) }).toEqual({ industry, issueType, id, known: true });
});

test('a bank dispute is pointed at the financial regulator first, never at 12315, which refuses it', () => {
  const suggested = suggestedChannelIds('FINANCE', 'BILLING');
  expect(suggested[0]).toBe('nfra-12378');
  expect(suggested).not.toContain('12315');
});

test('a medical bill is pointed at the health hotline, not at 12315', () => {
  expect(suggestedChannelIds('HEALTHCARE', 'BILLING')).toEqual(['nhc-12320', 'medical-mediation']);
});
