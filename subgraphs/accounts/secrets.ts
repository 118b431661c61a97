import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
  randomUUID,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { promisify } from 'node:util';

/**
 * The slice's secrets: password hashes, refresh tokens and verification codes. Nothing here is
 * stored or compared in the clear.
 *
 * Passwords: scrypt (node:crypto) with N = 2^17, r = 8, p = 1 (128 MiB and about 0.3-0.6 s per hash
 * on this project's 2-core machines; OWASP's minimum for scrypt), a 16-byte random salt and a
 * 32-byte key, stored as `scrypt$17$8$1$<salt b64url>$<key b64url>` so the cost can be raised later
 * and old hashes still verify. scrypt runs on libuv's thread pool, off the event loop.
 */
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const SCRYPT_PARAMS = { log2N: 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

function maxmemFor(log2N: number, r: number): number {
  return 2 * 128 * r * 2 ** log2N; // twice what scrypt needs, so Node's limit never refuses it
}

export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = await scryptAsync(password.normalize('NFKC'), salt, keyLength, {
    N: 2 ** log2N,
    r,
    p,
    maxmem: maxmemFor(log2N, r),
  });
  return ['scrypt', log2N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, log2N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: 2 ** Number(log2N),
    r: Number(r),
    p: Number(p),
    maxmem: maxmemFor(Number(log2N), Number(r)),
  });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash computed when no account matches, so "no such account" takes as long as "wrong password"
 * and the answer's timing does not tell them apart.
 */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await decoyHash);
  return false;
}

/** An opaque refresh token (256 random bits) and the hash the store keeps of it. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = `rt1_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A uniformly random six-digit code. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * A code is hashed with the account and purpose it was sent for, so a code sent for one account
 * or purpose never matches another's. A million codes are cheap to hash: the five-try limit, not
 * the hash, is what protects a code.
 */
export function hashCode(accountId: string, purpose: string, code: string): string {
  return createHmac('sha256', `${accountId}:${purpose}`).update(code).digest('hex');
}

/** A new account id: opaque and unguessable, never derived from the contact. */
export function newAccountId(): string {
  return `acc_${randomBytes(12).toString('hex')}`;
}

/** The id of one code delivery: its webhook id and Message-ID. */
export function newCodeDeliveryId(): string {
  return `code_${randomUUID()}`;
}

export function newFamilyId(): string {
  return `fam_${randomBytes(12).toString('hex')}`;
}

/** A new app key (`wqk_` and 256 random bits, platform/app-keys.ts), its public id and the hash kept of it. */
export function newAppKey(): { key: string; id: string; hash: string } {
  const key = `wqk_${randomBytes(32).toString('base64url')}`;
  return { key, id: `ak_${randomBytes(8).toString('hex')}`, hash: hashToken(key) };
}

/** Seals and opens the codes waiting in the code outbox (domain/code-delivery.ts). */
export interface CodeSealer {
  /** The code encrypted and bound to `rowId`: opening it under another row id fails. */
  seal(rowId: string, code: string): string;
  /** The code, or null when `sealed` was not sealed for `rowId` under this key. */
  open(rowId: string, sealed: string): string | null;
}

/**
 * AES-256-GCM under a key derived (HKDF-SHA256) from `secret` (AUTH_SECRET, which production
 * requires to be set and which no third party holds), so a copy of the store alone does not reveal
 * a live code, while every accounts process sharing the store can still deliver it.
 */
export function createCodeSealer(secret: string): CodeSealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'weiquan', 'accounts/code-outbox/v1', 32));
  return {
    seal(rowId, code) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(rowId));
      const sealed = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), sealed]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(rowId, sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(rowId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
