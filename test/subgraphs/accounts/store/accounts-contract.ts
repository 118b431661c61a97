import {
  AccountRole,
  RepresentationStatus,
  type AccountRecord,
  type RepresentationRecord,
} from '../../../../subgraphs/accounts/domain/account.ts';
import { CodePurpose } from '../../../../subgraphs/accounts/domain/codes.ts';
import type { RefreshTokenRecord } from '../../../../subgraphs/accounts/domain/sessions.ts';
import { type AccountStore, SecurityEventKind } from '../../../../subgraphs/accounts/store/accounts.ts';

/** The behaviour every AccountStore adapter must have; each adapter's test file runs it. */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 8, minute));

export function account(id: string, contact: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    role: AccountRole.Complainant,
    contact: { kind: 'email', value: contact },
    passwordHash: 'scrypt$17$8$1$salt$key',
    verifiedAt: null,
    createdAt: at(0),
    deletedAt: null,
    ...overrides,
  };
}

function refresh(hash: string, familyId: string, accountId: string): RefreshTokenRecord {
  return {
    tokenHash: hash,
    familyId,
    accountId,
    enterpriseId: null,
    issuedAt: at(1),
    expiresAt: at(59),
    usedAt: null,
    revokedAt: null,
  };
}

export function describeAccountStoreContract(name: string, open: () => Promise<AccountStore>): void {
  describe(`AccountStore contract (${name})`, () => {
    let store: AccountStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    test('an account is found by id and by contact; a second account for the same contact is refused', async () => {
      expect(await store.insertAccount(account('a1', 'a@example.org'))).toBe(true);
      expect(await store.insertAccount(account('a2', 'a@example.org'))).toBe(false);
      expect((await store.accountById('a1'))?.contact).toEqual({ kind: 'email', value: 'a@example.org' });
      expect((await store.accountByContact({ kind: 'email', value: 'a@example.org' }))?.id).toBe('a1');
      expect(await store.accountById('a2')).toBeNull();
    });

    test('updates set the password, the verification time and the role', async () => {
      await store.insertAccount(account('a1', 'a@example.org'));
      await store.updateAccount('a1', { passwordHash: 'new', verifiedAt: at(5), role: AccountRole.Staff });
      expect(await store.accountById('a1')).toMatchObject({ passwordHash: 'new', verifiedAt: at(5), role: 'staff' });
    });

    test('erasing personal data frees the contact, drops codes and revokes sessions, and keeps the id', async () => {
      await store.insertAccount(account('a1', 'a@example.org'));
      await store.putCode({
        accountId: 'a1',
        purpose: CodePurpose.VerifyContact,
        codeHash: 'h',
        sentAt: at(1),
        expiresAt: at(11),
        attempts: 0,
      });
      await store.insertRefreshToken(refresh('t1', 'f1', 'a1'));
      await store.erasePersonalData('a1', at(20));
      expect(await store.accountById('a1')).toMatchObject({ contact: null, passwordHash: null, deletedAt: at(20) });
      expect(await store.accountByContact({ kind: 'email', value: 'a@example.org' })).toBeNull();
      expect(await store.codeFor('a1', CodePurpose.VerifyContact)).toBeNull();
      expect((await store.refreshTokenByHash('t1'))?.revokedAt).toEqual(at(20));
      expect(await store.insertAccount(account('a3', 'a@example.org'))).toBe(true);
    });

    test('one code per account and purpose: a new one replaces it, each try is counted', async () => {
      await store.insertAccount(account('a1', 'a@example.org'));
      const code = {
        accountId: 'a1',
        purpose: CodePurpose.VerifyContact,
        codeHash: 'h1',
        sentAt: at(1),
        expiresAt: at(11),
        attempts: 0,
      };
      await store.putCode(code);
      expect(await store.countCodeAttempt('a1', CodePurpose.VerifyContact)).toBe(1);
      expect(await store.countCodeAttempt('a1', CodePurpose.VerifyContact)).toBe(2);
      await store.putCode({ ...code, codeHash: 'h2', sentAt: at(3) });
      expect(await store.codeFor('a1', CodePurpose.VerifyContact)).toMatchObject({ codeHash: 'h2', attempts: 0 });
      expect(await store.codeFor('a1', CodePurpose.ResetPassword)).toBeNull();
      await store.deleteCode('a1', CodePurpose.VerifyContact);
      expect(await store.codeFor('a1', CodePurpose.VerifyContact)).toBeNull();
      expect(await store.countCodeAttempt('a1', CodePurpose.VerifyContact)).toBe(0);
    });

    test('a refresh token is claimed once; revoking a family revokes each of its tokens, not others', async () => {
      await store.insertAccount(account('a1', 'a@example.org'));
      await store.insertRefreshToken(refresh('t1', 'f1', 'a1'));
      await store.insertRefreshToken(refresh('t2', 'f1', 'a1'));
      await store.insertRefreshToken(refresh('t3', 'f2', 'a1'));
      expect(await store.claimRefreshToken('t1', at(2))).toBe(true);
      expect(await store.claimRefreshToken('t1', at(3))).toBe(false);
      expect((await store.refreshTokenByHash('t1'))?.usedAt).toEqual(at(2));
      expect(await store.revokeFamily('f1', at(4))).toBe(2);
      expect(await store.claimRefreshToken('t2', at(5))).toBe(false);
      expect((await store.refreshTokenByHash('t3'))?.revokedAt).toBeNull();
      expect(await store.revokeAccountSessions('a1', at(6))).toBe(1);
    });

    test('signing keys come back oldest first with both halves', async () => {
      await store.insertSigningKey({
        kid: 'k2',
        publicJwk: { kty: 'OKP', x: '2' },
        privateJwk: { d: '2' },
        createdAt: at(2),
      });
      await store.insertSigningKey({
        kid: 'k1',
        publicJwk: { kty: 'OKP', x: '1' },
        privateJwk: { d: '1' },
        createdAt: at(1),
      });
      const keys = await store.signingKeys();
      expect(keys.map((key) => key.kid)).toEqual(['k1', 'k2']);
      expect(keys[0]).toEqual({
        kid: 'k1',
        publicJwk: { kty: 'OKP', x: '1' },
        privateJwk: { d: '1' },
        createdAt: at(1),
      });
    });

    test('representations are per account and enterprise; a decision replaces the request', async () => {
      await store.insertAccount(account('a1', 'a@example.org'));
      const request = {
        accountId: 'a1',
        enterpriseId: 'ent1_x',
        creditCode: '91110000MA01ABCD2Q',
        enterpriseName: '示例有限公司',
        letterId: 'letter_1',
        status: RepresentationStatus.Pending,
        requestedAt: at(1),
        decidedAt: null,
      };
      await store.upsertRepresentation(request);
      await store.upsertRepresentation({ ...request, status: RepresentationStatus.Approved, decidedAt: at(2) });
      expect(await store.representationsOf('a1')).toEqual([
        { ...request, status: RepresentationStatus.Approved, decidedAt: at(2) },
      ]);
      expect(await store.representationsOf('a2')).toEqual([]);
    });

    test('pending representations are listed oldest first, without decided ones', async () => {
      for (const id of ['a1', 'a2']) await store.insertAccount(account(id, `${id}@example.org`));
      const request = (accountId: string, minute: number, status: RepresentationRecord['status']) => ({
        accountId,
        enterpriseId: `ent1_${accountId}`,
        creditCode: '91110000MA01ABCD2Q',
        enterpriseName: null,
        letterId: null,
        status,
        requestedAt: at(minute),
        decidedAt: null,
      });
      await store.upsertRepresentation(request('a2', 3, RepresentationStatus.Pending));
      await store.upsertRepresentation(request('a1', 1, RepresentationStatus.Pending));
      await store.upsertRepresentation({ ...request('a1', 2, RepresentationStatus.Refused), enterpriseId: 'ent1_x' });
      expect((await store.pendingRepresentations()).map((r) => r.accountId)).toEqual(['a1', 'a2']);
    });

    test('security events come back newest first', async () => {
      await store.appendSecurityEvent({
        at: at(1),
        kind: SecurityEventKind.SignInFailed,
        accountId: 'a1',
        detail: null,
      });
      await store.appendSecurityEvent({
        at: at(2),
        kind: SecurityEventKind.Locked,
        accountId: null,
        detail: 'sign-in',
      });
      expect((await store.securityEvents(10)).map((event) => event.kind)).toEqual(['locked', 'sign_in_failed']);
      expect(await store.securityEvents(1)).toHaveLength(1);
    });
  });
}
