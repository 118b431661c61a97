import { IdentityBasis } from '../../../../platform/enterprise/identity.ts';
import { parseBlackCatMerchants } from '../../../../subgraphs/reputation/sources/blackcat-merchants.ts';
import { context, fixture } from './context.ts';

test('the merchant list reads counts and resolves names; a merchant without uid is set aside', () => {
  const parsed = parseBlackCatMerchants(fixture('blackcat/merchants.json'), context());
  if ('error' in parsed) throw new Error(parsed.error);
  expect(parsed.merchants).toHaveLength(3);
  expect(parsed.merchants[0]).toMatchObject({
    uid: '5000000000',
    name: '京东',
    validComplaints: 1523,
    replied: 1490,
    completed: 1211,
    evalPoints: 4.6,
    enterpriseBasis: IdentityBasis.Alias,
  });
  expect(parsed.merchants[2].evalPoints).toBeNull();
  expect(parsed.invalid).toHaveLength(1);
});
