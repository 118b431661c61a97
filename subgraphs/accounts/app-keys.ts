import { Role, type Actor } from '../../platform/context.ts';
import type { AppKeyVerification } from '../../platform/app-keys.ts';
import { APP_KEY_PATTERN } from '../../platform/app-keys.ts';
import { badUserInput, conflict, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import {
  MAX_LIVE_KEYS_PER_ACCOUNT,
  MAX_REQUESTS_PER_MINUTE,
  appKeyNameProblem,
  isLive,
  type AppKeyRecord,
} from './domain/app-keys.ts';
import { hashToken, newAppKey } from './secrets.ts';
import { type AccountsDeps, ownAccount } from './service.ts';
import type { AppKeyStore } from './store/app-keys.ts';
import { SecurityEventKind } from './store/accounts.ts';

/**
 * App keys (platform/app-keys.ts): a signed-in account registers an app and receives its key once;
 * it lists and revokes its own keys; staff and admins list every key, revoke any and set a key's own
 * rate limit. The gateway verifies keys through `verifyAppKey` (GET /app-keys/verify).
 */
export type AppKeyDeps = AccountsDeps & { appKeys: AppKeyStore };

const isDesk = (actor: Actor) => actor.role === Role.Staff || actor.role === Role.Admin;

function requireDesk(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  if (!isDesk(actor)) throw forbidden(`This operation needs one of the roles staff, admin; you are ${actor.role}.`);
  return actor;
}

async function event(deps: AppKeyDeps, kind: SecurityEventKind, accountId: string, keyId: string): Promise<void> {
  deps.logger.info({ securityEvent: kind, accountId, appKeyId: keyId }, 'security event');
  await deps.store.appendSecurityEvent({ at: deps.now(), kind, accountId, detail: keyId });
}

/** Registers an app for the caller's account: the record, and the key, which is shown this once. */
export async function registerAppKey(
  deps: AppKeyDeps,
  actor: Actor | null,
  name: string,
): Promise<{ appKey: AppKeyRecord; key: string }> {
  const account = await ownAccount(deps, actor);
  const problem = appKeyNameProblem(name);
  if (problem) throw badUserInput('name', problem, name);
  const live = (await deps.appKeys.appKeysOf(account.id)).filter(isLive);
  if (live.length >= MAX_LIVE_KEYS_PER_ACCOUNT) {
    throw conflict(`An account may hold ${MAX_LIVE_KEYS_PER_ACCOUNT} live app keys; revoke one first.`, {
      reason: 'TOO_MANY_APP_KEYS',
    });
  }
  const { key, id, hash } = newAppKey();
  const appKey: AppKeyRecord = {
    id,
    keyHash: hash,
    accountId: account.id,
    name: name.trim(),
    requestsPerMinute: null,
    createdAt: deps.now(),
    revokedAt: null,
  };
  await deps.appKeys.insertAppKey(appKey);
  await event(deps, SecurityEventKind.AppKeyRegistered, account.id, id);
  return { appKey, key };
}

export async function myAppKeys(deps: AppKeyDeps, actor: Actor | null): Promise<AppKeyRecord[]> {
  const account = await ownAccount(deps, actor);
  return deps.appKeys.appKeysOf(account.id);
}

export async function allAppKeys(deps: AppKeyDeps, actor: Actor | null, first: number): Promise<AppKeyRecord[]> {
  requireDesk(actor);
  if (!Number.isInteger(first) || first < 1 || first > 500) throw badUserInput('first', 'a whole number from 1 to 500');
  return deps.appKeys.allAppKeys(first);
}

/**
 * Revokes a key: its owner's, or any for staff and admins. Someone else's key answers NOT_FOUND, as
 * a key that does not exist does, so ids cannot be probed. Revoking a revoked key returns it as is.
 */
export async function revokeAppKey(deps: AppKeyDeps, actor: Actor | null, id: string): Promise<AppKeyRecord> {
  if (!actor) throw unauthenticated();
  const desk = isDesk(actor);
  if (!desk) await ownAccount(deps, actor);
  const key = await deps.appKeys.appKeyById(id);
  if (!key || (!desk && key.accountId !== actor.id)) throw notFound('App key', id);
  if (await deps.appKeys.revokeAppKey(id, deps.now())) {
    await event(deps, SecurityEventKind.AppKeyRevoked, key.accountId, `${id} by ${actor.id}`);
  }
  return (await deps.appKeys.appKeyById(id)) ?? key;
}

/** Sets a key's own limit, or clears it (null) for the configured default (staff, admin). */
export async function setAppKeyRateLimit(
  deps: AppKeyDeps,
  actor: Actor | null,
  id: string,
  requestsPerMinute: number | null,
): Promise<AppKeyRecord> {
  const desk = requireDesk(actor);
  const valid =
    requestsPerMinute === null ||
    (Number.isInteger(requestsPerMinute) && requestsPerMinute >= 1 && requestsPerMinute <= MAX_REQUESTS_PER_MINUTE);
  if (!valid) {
    throw badUserInput(
      'requestsPerMinute',
      `null or a whole number from 1 to ${MAX_REQUESTS_PER_MINUTE}`,
      requestsPerMinute,
    );
  }
  if (!(await deps.appKeys.setAppKeyRateLimit(id, requestsPerMinute))) throw notFound('App key', id);
  const key = (await deps.appKeys.appKeyById(id)) as AppKeyRecord;
  await event(deps, SecurityEventKind.AppKeyLimitChanged, key.accountId, `${id} to ${requestsPerMinute} by ${desk.id}`);
  return key;
}

/** The gateway's question: is this key live, and what is its limit? null for an unknown or revoked key. */
export async function verifyAppKey(appKeys: AppKeyStore, key: string): Promise<AppKeyVerification | null> {
  if (!APP_KEY_PATTERN.test(key)) return null;
  const found = await appKeys.appKeyByHash(hashToken(key));
  if (!found || !isLive(found)) return null;
  return { id: found.id, requestsPerMinute: found.requestsPerMinute };
}
