import { createHash } from 'node:crypto';
import type { Actor } from '../../../platform/context.ts';
import { badUserInput } from '../../../platform/errors.ts';

/**
 * Idempotency keys of the creating mutations (`submitCase`). A client that cannot tell whether its
 * request arrived (a timeout, a dropped connection, a retrying proxy) sends it again with the same
 * key and gets the case the first request filed instead of a second case. Pure: no I/O, no clock.
 */

/** How long a key is remembered; after that the same key files anew (Stripe keeps keys 24 hours too). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Printable ASCII without spaces, at most 255 characters: room for a UUID, a ULID or a client's own scheme. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A caller's key, claimed in the same transaction as the write it guards. */
export interface IdempotencyClaim {
  /** Whose key it is (role and id): two callers' keys never collide. */
  scope: string;
  key: string;
  /** The mutation the key was first used for, e.g. `submitCase`. */
  operation: string;
  /** SHA-256 of the operation and its input (canonical JSON), to refuse the key with another request. */
  fingerprint: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC: from then on the key is forgotten. */
  expiresAt: string;
}

/** What the store remembers of a claimed key. */
export interface IdempotencyRecord {
  operation: string;
  fingerprint: string;
  /** The case the first request filed. */
  caseId: string;
  expiresAt: string;
}

/** JSON with object keys sorted and null or absent fields dropped: GraphQL sends `null` and omission alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function idempotencyScope(actor: Actor): string {
  return `${actor.role}:${actor.id}`;
}

/**
 * The claim for `key` on `operation` with `input` (the mutation's input without the key), or
 * BAD_USER_INPUT at `argumentPath` when the key is not one we accept.
 */
export function idempotencyClaim(
  actor: Actor,
  operation: string,
  key: unknown,
  input: unknown,
  now: Date,
  argumentPath: string,
): IdempotencyClaim {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw badUserInput(argumentPath, '1 to 255 printable ASCII characters without spaces, e.g. a UUID', key);
  }
  return {
    scope: idempotencyScope(actor),
    key,
    operation,
    fingerprint: createHash('sha256').update(canonicalJson({ operation, input })).digest('hex'),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS).toISOString(),
  };
}

/** Whether a remembered key answers this claim (same request) or must be refused (another request). */
export function matchesClaim(record: IdempotencyRecord, claim: IdempotencyClaim): boolean {
  return record.operation === claim.operation && record.fingerprint === claim.fingerprint;
}
