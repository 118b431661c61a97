import { randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ACCESS_TOKEN } from '../../platform/auth.ts';
import type { Actor } from '../../platform/context.ts';
import type { SigningKeyRecord, SigningKeyStore } from './store/accounts.ts';

/**
 * The access tokens' signing keys. Ed25519 key pairs are generated here, on first start and at each
 * rotation, and kept in the accounts store (so every accounts process signs with the same key);
 * only this slice reads the private half. The JWKS publishes the newest key and every older one
 * whose tokens may still be alive (RETIRED_KEY_GRACE_MS), so rotating never invalidates a token
 * that was just issued; a new key is published a minute before it signs (KEY_ACTIVATION_DELAY_MS).
 */
export const KEY_ROTATION_MS = 30 * 24 * 3600_000;
/** Other processes may rotate: the key list is re-read at most this often. */
const RELOAD_MS = 60_000;
/**
 * A new key is published this long before it signs. Verifiers refetch the JWKS for an unknown
 * `kid` at most every 30 s (platform/auth.ts), so by the time a token names the new key, any
 * verifier that has not seen it yet is allowed to fetch it.
 */
export const KEY_ACTIVATION_DELAY_MS = 60_000;
/** The predecessor signs until its successor is active; its last tokens then live a token lifetime (+ 1 min skew). */
const RETIRED_KEY_GRACE_MS = KEY_ACTIVATION_DELAY_MS + ACCESS_TOKEN.lifetimeSeconds * 1000 + 60_000;

export class SigningKeys {
  private cache: { at: number; keys: SigningKeyRecord[] } | null = null;
  private readonly store: SigningKeyStore;
  private readonly now: () => Date;
  /** At most ACCESS_TOKEN.lifetimeSeconds, the oldest token every verifier accepts. */
  readonly accessTokenLifetimeSeconds: number;

  constructor(store: SigningKeyStore, now: () => Date, accessTokenLifetimeSeconds = ACCESS_TOKEN.lifetimeSeconds) {
    this.store = store;
    this.now = now;
    this.accessTokenLifetimeSeconds = Math.min(accessTokenLifetimeSeconds, ACCESS_TOKEN.lifetimeSeconds);
  }

  /** Makes sure a current key exists (generating the first one on first start). */
  async ensureCurrent(): Promise<SigningKeyRecord> {
    const keys = await this.load();
    const newest = keys.at(-1);
    if (newest && this.now().getTime() - newest.createdAt.getTime() < KEY_ROTATION_MS) return newest;
    return this.rotate();
  }

  /** Generates a new key and makes it the one that signs; older keys stay published for their tokens. */
  async rotate(): Promise<SigningKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN.algorithm, {
      crv: 'Ed25519',
      extractable: true,
    });
    const kid = `k${this.now().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
    const record: SigningKeyRecord = {
      kid,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN.algorithm, use: 'sig' },
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN.algorithm },
      createdAt: this.now(),
    };
    await this.store.insertSigningKey(record);
    this.cache = null;
    return record;
  }

  /** The public keys a verifier needs now. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.load();
    const now = this.now().getTime();
    const published = keys.filter((_key, index) => {
      const successor = keys[index + 1];
      return !successor || now - successor.createdAt.getTime() < RETIRED_KEY_GRACE_MS;
    });
    return { keys: published.map((key) => key.publicJwk) };
  }

  /** The key that signs now: the newest published long enough, else (first start) the newest. */
  private async signingKey(): Promise<SigningKeyRecord> {
    const newest = await this.ensureCurrent();
    const now = this.now().getTime();
    const active = (await this.load()).filter((key) => now - key.createdAt.getTime() >= KEY_ACTIVATION_DELAY_MS);
    return active.at(-1) ?? newest;
  }

  /**
   * An access token for `actor` (15 minutes, unless ACCESS_TOKEN_LIFETIME_SECONDS is shorter) signed
   * with the current key.
   */
  async sign(actor: Actor, sessionId: string): Promise<string> {
    const key = await this.signingKey();
    const privateKey = await importJWK(key.privateJwk, ACCESS_TOKEN.algorithm);
    return new SignJWT({ role: actor.role, sid: sessionId, ...(actor.enterpriseId ? { ent: actor.enterpriseId } : {}) })
      .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, kid: key.kid, typ: 'at+jwt' })
      .setSubject(actor.id)
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setIssuedAt(Math.floor(this.now().getTime() / 1000))
      .setExpirationTime(Math.floor(this.now().getTime() / 1000) + this.accessTokenLifetimeSeconds)
      .sign(privateKey);
  }

  private async load(): Promise<SigningKeyRecord[]> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > RELOAD_MS) {
      const keys = await this.store.signingKeys();
      keys.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.kid.localeCompare(b.kid));
      this.cache = { at: now, keys };
    }
    return this.cache.keys;
  }
}
