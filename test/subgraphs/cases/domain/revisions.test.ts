import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { validateEdit, validateFiling } from '../../../../subgraphs/cases/domain/filing.ts';
import { revisionDiffs } from '../../../../subgraphs/cases/domain/revisions.ts';
import { NOW, filing } from '../fixtures.ts';

describe('revision diffs', () => {
  test('each revision reads back as the fields it changed, before and after', () => {
    const v1 = validateFiling(filing(), enterpriseResolver(), NOW);
    const v2 = validateEdit(v1, { amount: 1999, complainant: { phone: '13900139000' } }, enterpriseResolver(), NOW);
    const diffs = revisionDiffs([
      { caseId: 'c', version: 3, at: 't3', actorId: 'u', content: v2 },
      { caseId: 'c', version: 1, at: 't1', actorId: 'u', content: v1 },
    ]);
    expect(diffs.map((d) => d.version)).toEqual([1, 3]);
    expect(diffs[0].changes.find((c) => c.field === 'title')).toEqual({
      field: 'title',
      before: null,
      after: v1.title,
    });
    expect(diffs[1].changes).toEqual([
      { field: 'complainant.phone', before: '13800138000', after: '13900139000' },
      { field: 'amount', before: '2999', after: '1999' },
    ]);
  });
});
