import { creditCodeCheckCharacter, normaliseCreditCode } from '../../../platform/enterprise/credit-code.ts';
import { createEnterpriseResolver, normaliseEnterpriseName } from '../../../platform/enterprise/identity.ts';
import { loadAliasTable } from '../../../platform/enterprise/aliases.ts';

test('the check character of a published credit code is recomputed (Tencent, 91440300708461136T)', () => {
  expect(creditCodeCheckCharacter('91440300708461136')).toBe('T');
  expect(normaliseCreditCode(' 91440300708461136t ')).toBe('91440300708461136T');
});

test('a credit code with a wrong check character is rejected', () => {
  expect(normaliseCreditCode('91440300708461136A')).toBeNull();
});

test('names are compared without tags, entities, width, spacing and legal-form suffixes', () => {
  expect(normaliseEnterpriseName('<em>ＡＢＣ</em>&nbsp;科技 有限公司')).toBe(normaliseEnterpriseName('abc科技'));
  expect(normaliseEnterpriseName('某某官方旗舰店')).toBe('某某');
});

test('the same credit code gives the same id whatever the name', () => {
  const resolver = createEnterpriseResolver([]);
  const a = resolver.resolve({ name: '腾讯', creditCode: '91440300708461136T' });
  const b = resolver.resolve({ name: '深圳市腾讯计算机系统有限公司', creditCode: '91440300708461136T' });
  expect(a.id).toBe(b.id);
  expect(a.basis).toBe('CREDIT_CODE');
});

test('an alias entry joins a brand name to its company; unrelated names stay apart', () => {
  const resolver = createEnterpriseResolver(loadAliasTable());
  expect(resolver.resolve({ name: '腾讯客服' }).id).toBe(
    resolver.resolve({ name: 'x', creditCode: '91440300708461136T' }).id,
  );
  expect(resolver.resolve({ name: '京东' }).id).not.toBe(resolver.resolve({ name: '京东方' }).id);
});

test('ids are deterministic and prefixed with their derivation version', () => {
  const resolver = createEnterpriseResolver([]);
  expect(resolver.resolve({ name: '某某商贸' }).id).toBe(createEnterpriseResolver([]).resolve({ name: '某某商贸' }).id);
  expect(resolver.resolve({ name: '某某商贸' }).id).toMatch(/^ent1_[0-9a-f]{20}$/);
});
