import fc from 'fast-check';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import {
  formatReference,
  normaliseMobile,
  validateEdit,
  validateFiling,
  type FilingInput,
} from '../../../../subgraphs/cases/domain/filing.ts';
import { CREDIT_CODE, NOW, filing } from '../fixtures.ts';

function pathOf(input: FilingInput): string | undefined {
  try {
    validateFiling(input, enterpriseResolver(), NOW);
    return undefined;
  } catch (error) {
    expect((error as { extensions: { code: string } }).extensions.code).toBe('BAD_USER_INPUT');
    return (error as { extensions: { argumentPath: string } }).extensions.argumentPath;
  }
}

describe('filing validation', () => {
  test('a complete filing is accepted and normalised', () => {
    const content = validateFiling(
      filing({ complainant: { name: ' 张三丰 ', phone: '+86 138-0013-8000', email: 'Zhang@Example.com' } }),
      enterpriseResolver(),
      NOW,
    );
    expect(content.complainant).toEqual({
      name: '张三丰',
      phone: '13800138000',
      email: 'zhang@example.com',
      address: null,
    });
    expect(content.respondent.enterpriseId).toMatch(/^ent1_/);
  });

  test('the respondent resolves to the same Enterprise id as the shared resolver', () => {
    const content = validateFiling(
      filing({ respondent: { name: '某公司', creditCode: CREDIT_CODE } }),
      enterpriseResolver(),
      NOW,
    );
    expect(content.respondent.enterpriseId).toBe(
      enterpriseResolver().resolve({ name: 'anything', creditCode: CREDIT_CODE }).id,
    );
  });

  test.each([
    ['input.complainant.name', { complainant: { name: ' ', phone: '13800138000' } }],
    ['input.complainant.phone', { complainant: { name: '张三', phone: '12800138000' } }],
    ['input.complainant.phone', { complainant: { name: '张三' } }],
    ['input.complainant.email', { complainant: { name: '张三', email: 'not-an-email' } }],
    ['input.respondent.name', { respondent: { name: '', platform: 'x' } }],
    ['input.respondent', { respondent: { name: '某店' } }],
    ['input.respondent.creditCode', { respondent: { name: '某店', creditCode: '91110000802100433A' } }],
    ['input.respondent.storeUrl', { respondent: { name: '某店', storeUrl: 'javascript:alert(1)' } }],
    ['input.industry', { industry: 'SHOES' }],
    ['input.issueType', { issueType: 'BAD' }],
    ['input.title', { title: '差' }],
    ['input.description', { description: '太短了' }],
    ['input.demands', { demands: '' }],
    ['input.amount', { amount: -1 }],
    ['input.amount', { amount: 1.234 }],
    ['input.occurredOn', { occurredOn: '2026-12-01' }],
    ['input.occurredOn', { occurredOn: '2026-02-30' }],
    ['input.contactedBusinessOn', { contactedBusinessOn: '2026-10-01' }],
    ['input.businessRepliedOn', { businessRepliedOn: '2026-10-21' }],
    ['input.contactedBusinessOn', { contactedBusinessOn: null, businessRepliedOn: null }],
    ['input.businessOutcome', { businessOutcome: 'NO_REPLY' }],
    ['input.businessOutcome', { businessOutcome: null, businessRepliedOn: null }],
  ] as Array<[string, Partial<FilingInput>]>)('refuses with argumentPath %s', (path, overrides) => {
    expect(pathOf(filing(overrides))).toBe(path);
  });

  test('every 11-digit number starting 13-19 is a mainland mobile and nothing else is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (digits) => {
        expect(normaliseMobile(digits) !== null).toBe(/^1[3-9]/.test(digits));
      }),
    );
  });

  test('an edit is validated as a whole filing, with the same field paths', () => {
    const content = validateFiling(filing(), enterpriseResolver(), NOW);
    expect(validateEdit(content, { amount: 100 }, enterpriseResolver(), NOW).amount).toBe(100);
    expect(() =>
      validateEdit(content, { complainant: { phone: '123', email: null } }, enterpriseResolver(), NOW),
    ).toThrow(/input.complainant.phone/);
  });

  test('editing a case stored with a contact but no outcome names that gap; giving the outcome fixes it', () => {
    const content = validateFiling(filing(), enterpriseResolver(), NOW);
    const stored = {
      ...content,
      contactedBusinessOn: content.occurredOn,
      businessOutcome: null,
      businessRepliedOn: null,
    };
    expect(() => validateEdit(stored, { title: '新的标题：退款仍未到账' }, enterpriseResolver(), NOW)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          argumentPath: 'input.businessOutcome',
          expected: expect.stringContaining('this case records the contact but not its outcome'),
        }),
      }),
    );
    expect(
      validateEdit(stored, { title: '新的标题：退款仍未到账', businessOutcome: 'NO_REPLY' }, enterpriseResolver(), NOW)
        .businessOutcome,
    ).toBe('NO_REPLY');
  });

  test('references carry the China date of submission and sort by date', () => {
    expect(formatReference('2026-11-21T17:30:00Z', 123)).toBe('WQ-20261122-000123');
    expect(formatReference('2026-11-21T15:59:59Z', 9) < formatReference('2026-11-21T16:00:00Z', 1)).toBe(true);
  });
});
