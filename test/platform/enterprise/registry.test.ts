import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { creditCodeCheckCharacter } from '../../../platform/enterprise/credit-code.ts';
import { createEnterpriseResolver, IdentityBasis } from '../../../platform/enterprise/identity.ts';
import { linkFor, linksForNames, withLinks, type EnterpriseRegistry } from '../../../platform/enterprise/registry.ts';
import { createSqliteEnterpriseRegistry } from '../../../platform/enterprise/registry-sqlite.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';

const code = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const CODE = code('91330100MA2CY0003');
const OTHER = code('91330100MA2CY0104');
const resolver = createEnterpriseResolver([{ canonicalName: '北京京东世纪贸易有限公司', names: ['京东'] }]);
const at = new Date('2026-11-20T00:00:00Z');

let dir: string;
let registry: EnterpriseRegistry;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-registry-'));
  registry = createSqliteEnterpriseRegistry(openSqlite(join(dir, 'enterprises.db')));
});
afterEach(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an approval links the name id to the credit-code id; a linked name then resolves to the code id', async () => {
  const link = linkFor(resolver, { name: '杭州示例电子商务有限公司', creditCode: CODE }, at)!;
  expect(link.nameId).toBe(resolver.resolve({ name: '杭州示例电子商务' }).id);
  expect(link.enterpriseId).toBe(resolver.resolve({ name: 'x', creditCode: CODE }).id);
  await registry.link(link);
  const linked = withLinks(resolver, await linksForNames(registry, resolver, ['杭州示例电子商务 有限公司', null]));
  expect(linked.resolve({ name: '杭州示例电子商务' })).toMatchObject({
    id: link.enterpriseId,
    basis: IdentityBasis.Name,
  });
  // A code given with the name still decides by itself.
  expect(linked.resolve({ name: '杭州示例电子商务', creditCode: OTHER }).id).not.toBe(link.enterpriseId);
  expect(await registry.nameIdsOf(link.enterpriseId)).toEqual([link.nameId]);
});

test('an alias name links through its canonical id', async () => {
  const link = linkFor(resolver, { name: '京东', creditCode: CODE }, at)!;
  expect(link.nameId).toBe(resolver.resolve({ name: '北京京东世纪贸易有限公司' }).id);
});

test('the first link of a name stands; a different later one is not written', async () => {
  const first = linkFor(resolver, { name: '同名公司', creditCode: CODE }, at)!;
  const second = linkFor(resolver, { name: '同名公司', creditCode: OTHER }, at)!;
  await registry.link(first);
  expect((await registry.link(second)).enterpriseId).toBe(first.enterpriseId);
  expect(await registry.linkedId(first.nameId)).toBe(first.enterpriseId);
  expect(await registry.nameIdsOf(second.enterpriseId)).toEqual([]);
});
