/**
 * The MongoDB adapter's filters, evaluated by mingo over the documents the adapter writes (no
 * server here): each selects exactly what the SQLite adapter's WHERE clause does.
 */
import { Query } from 'mingo';
import {
  claimableRefreshFilter,
  contactFilter,
  liveAccountTokensFilter,
  liveFamilyFilter,
  pendingRepresentationsFilter,
  toAccountDocument,
} from '../../../../subgraphs/accounts/store/accounts-mongo.ts';
import { account } from './accounts-contract.ts';

const matches = (filter: object, doc: object) =>
  new Query(filter as Record<string, unknown>).test(doc as Record<string, unknown>);

const token = (id: string, over: Record<string, unknown> = {}) => ({
  _id: id,
  familyId: 'f1',
  accountId: 'a1',
  usedAt: null,
  revokedAt: null,
  ...over,
});

test('the contact filter finds the account by kind and normalised value, not a deleted one', () => {
  const doc = toAccountDocument(account('a1', 'a@example.org'));
  expect(matches(contactFilter({ kind: 'email', value: 'a@example.org' }), doc)).toBe(true);
  expect(matches(contactFilter({ kind: 'phone', value: 'a@example.org' }), doc)).toBe(false);
  const erased = { ...doc, contact: null, contactKind: null };
  expect(matches(contactFilter({ kind: 'email', value: 'a@example.org' }), erased)).toBe(false);
});

test('a refresh token is claimable only while neither used nor revoked', () => {
  expect(matches(claimableRefreshFilter('t1'), token('t1'))).toBe(true);
  expect(matches(claimableRefreshFilter('t1'), token('t1', { usedAt: new Date() }))).toBe(false);
  expect(matches(claimableRefreshFilter('t1'), token('t1', { revokedAt: new Date() }))).toBe(false);
  expect(matches(claimableRefreshFilter('t1'), token('t2'))).toBe(false);
});

test('family and account revocation select the live tokens of that family or account only', () => {
  expect(matches(liveFamilyFilter('f1'), token('t1'))).toBe(true);
  expect(matches(liveFamilyFilter('f1'), token('t1', { usedAt: new Date() }))).toBe(true);
  expect(matches(liveFamilyFilter('f1'), token('t1', { revokedAt: new Date() }))).toBe(false);
  expect(matches(liveFamilyFilter('f2'), token('t1'))).toBe(false);
  expect(matches(liveAccountTokensFilter('a1'), token('t1'))).toBe(true);
  expect(matches(liveAccountTokensFilter('a2'), token('t1'))).toBe(false);
});

test('the pending filter selects undecided representation requests only', () => {
  const request = { accountId: 'a1', enterpriseId: 'ent1_x', status: 'pending' };
  expect(matches(pendingRepresentationsFilter(), request)).toBe(true);
  expect(matches(pendingRepresentationsFilter(), { ...request, status: 'approved' })).toBe(false);
  expect(matches(pendingRepresentationsFilter(), { ...request, status: 'refused' })).toBe(false);
});
