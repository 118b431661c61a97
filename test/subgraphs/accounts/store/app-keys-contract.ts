import type { AppKeyRecord } from '../../../../subgraphs/accounts/domain/app-keys.ts';
import type { AppKeyStore } from '../../../../subgraphs/accounts/store/app-keys.ts';

/** The behaviour every AppKeyStore adapter must have; each adapter's test file runs it. */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 8, minute));

export function appKey(id: string, accountId: string, minute: number, over: Partial<AppKeyRecord> = {}): AppKeyRecord {
  return {
    id,
    keyHash: `hash-of-${id}`,
    accountId,
    name: `app ${id}`,
    requestsPerMinute: null,
    createdAt: at(minute),
    revokedAt: null,
    ...over,
  };
}

export function describeAppKeyStoreContract(name: string, open: () => Promise<AppKeyStore>): void {
  describe(`AppKeyStore contract (${name})`, () => {
    let store: AppKeyStore;
    beforeEach(async () => {
      store = await open();
    });

    test('a key is found by the hash of the key and by its id, as stored', async () => {
      const key = appKey('ak_1', 'acc_a', 1, { requestsPerMinute: 90 });
      await store.insertAppKey(key);
      expect(await store.appKeyByHash('hash-of-ak_1')).toEqual(key);
      expect(await store.appKeyById('ak_1')).toEqual(key);
      expect(await store.appKeyByHash('hash-of-nothing')).toBeNull();
    });

    test("an account's keys come newest first, and every account's keys with a limit", async () => {
      await store.insertAppKey(appKey('ak_1', 'acc_a', 1));
      await store.insertAppKey(appKey('ak_2', 'acc_b', 2));
      await store.insertAppKey(appKey('ak_3', 'acc_a', 3));
      expect((await store.appKeysOf('acc_a')).map((k) => k.id)).toEqual(['ak_3', 'ak_1']);
      expect((await store.allAppKeys(2)).map((k) => k.id)).toEqual(['ak_3', 'ak_2']);
    });

    test('revoking counts once: a second revocation or an unknown id changes nothing', async () => {
      await store.insertAppKey(appKey('ak_1', 'acc_a', 1));
      expect(await store.revokeAppKey('ak_1', at(5))).toBe(true);
      expect(await store.revokeAppKey('ak_1', at(6))).toBe(false);
      expect(await store.revokeAppKey('ak_none', at(6))).toBe(false);
      expect((await store.appKeyById('ak_1'))?.revokedAt).toEqual(at(5));
    });

    test("revoking an account's keys touches only its live ones", async () => {
      await store.insertAppKey(appKey('ak_1', 'acc_a', 1));
      await store.insertAppKey(appKey('ak_2', 'acc_a', 2, { revokedAt: at(3) }));
      await store.insertAppKey(appKey('ak_3', 'acc_b', 3));
      expect(await store.revokeAppKeysOf('acc_a', at(9))).toBe(1);
      expect((await store.appKeyById('ak_2'))?.revokedAt).toEqual(at(3));
      expect((await store.appKeyById('ak_3'))?.revokedAt).toBeNull();
    });

    test("a key's own limit is set and cleared; an unknown id says so", async () => {
      await store.insertAppKey(appKey('ak_1', 'acc_a', 1));
      expect(await store.setAppKeyRateLimit('ak_1', 120)).toBe(true);
      expect((await store.appKeyById('ak_1'))?.requestsPerMinute).toBe(120);
      expect(await store.setAppKeyRateLimit('ak_1', null)).toBe(true);
      expect((await store.appKeyById('ak_1'))?.requestsPerMinute).toBeNull();
      expect(await store.setAppKeyRateLimit('ak_none', 5)).toBe(false);
    });
  });
}
