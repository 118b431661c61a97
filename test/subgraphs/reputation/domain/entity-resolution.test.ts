import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { IdentityBasis } from '../../../../platform/enterprise/identity.ts';
import { resolvePublishedEnterprise } from '../../../../subgraphs/reputation/domain/entity-resolution.ts';

const resolver = enterpriseResolver();

test('a credit code wins over the name and is high confidence', () => {
  const resolved = resolvePublishedEnterprise(resolver, { name: '随便什么名字', creditCode: '91440300708461136T' });
  expect(resolved).toMatchObject({ basis: IdentityBasis.CreditCode, lowConfidence: false });
  expect(resolved!.id).toBe(resolver.resolve({ name: '腾讯', creditCode: null }).id);
});

test('a reviewed alias ties a brand and its shop name to one enterprise', () => {
  const a = resolvePublishedEnterprise(resolver, { name: '<em>京东</em>自营' });
  const b = resolvePublishedEnterprise(resolver, { name: '北京京东世纪贸易有限公司' });
  expect(a).toMatchObject({ basis: IdentityBasis.Alias, lowConfidence: false, displayName: '京东自营' });
  expect(a!.id).toBe(b!.id);
});

test('tags, entities, full-width letters and shop suffixes do not split one published name', () => {
  const ids = ['ＯＰＰＯ官方旗舰店', 'OPPO', '<b>oppo</b> 旗舰店', 'OPPO&#23448;方旗舰店'].map(
    (name) => resolvePublishedEnterprise(resolver, { name })!.id,
  );
  expect(new Set(ids).size).toBe(1);
});

test('a name-only resolution is reported as low confidence and never merged with a different name', () => {
  const a = resolvePublishedEnterprise(resolver, { name: '某某优选' });
  const b = resolvePublishedEnterprise(resolver, { name: '某某优选科技' });
  expect(a).toMatchObject({ basis: IdentityBasis.Name, lowConfidence: true });
  expect(a!.id).not.toBe(b!.id);
});

test('a credit code with a wrong check character is ignored, not trusted', () => {
  expect(resolvePublishedEnterprise(resolver, { name: '某某超市', creditCode: '91440300708461136A' })).toMatchObject({
    basis: IdentityBasis.Name,
  });
});

test('a name that is empty once cleaned cannot be resolved', () => {
  expect(resolvePublishedEnterprise(resolver, { name: '<em></em>' })).toBeNull();
  expect(resolvePublishedEnterprise(resolver, { name: '  ' })).toBeNull();
});
