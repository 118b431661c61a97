import { vanishedField } from '../ingest/run.ts';
import { FetchError, FetchErrorKind } from '../fetch/fetcher.ts';
import type { PageOutcome } from './types.ts';

/**
 * The canary's verdict on one page of a real source: does what the site serves still parse the
 * way our adapter expects? Pure: the script fetches, this decides.
 *
 * - MATCHES: the page parsed to records (or posts awaiting their detail) and no required field
 *   vanished.
 * - CHANGED: the page parsed to a different shape, to nothing, or to items all missing the
 *   same required field; or the site answered something that is not the format at all.
 * - LOGIN_REQUIRED / BLOCKED / UNREACHABLE: we could not see the format (login wall or missing
 *   token; 403, 429 or 456; network, DNS or timeout): not a change, but not a pass either.
 * - SKIPPED: nothing was asked (no token configured for a source that needs one).
 */
export const CanaryVerdict = {
  Matches: 'MATCHES',
  Changed: 'CHANGED',
  LoginRequired: 'LOGIN_REQUIRED',
  Blocked: 'BLOCKED',
  Unreachable: 'UNREACHABLE',
  Skipped: 'SKIPPED',
} as const;
export type CanaryVerdict = (typeof CanaryVerdict)[keyof typeof CanaryVerdict];

export interface CanaryResult {
  source: string;
  url: string | null;
  verdict: CanaryVerdict;
  detail: string;
  /** Items the page parsed to (records, posts awaiting their detail, invalid items). */
  items: number;
  ms: number;
}

export function verdictOfOutcome(outcome: PageOutcome): { verdict: CanaryVerdict; detail: string; items: number } {
  switch (outcome.kind) {
    case 'login-required':
      return { verdict: CanaryVerdict.LoginRequired, detail: `${outcome.code}: ${outcome.message}`, items: 0 };
    case 'structure-changed':
      return { verdict: CanaryVerdict.Changed, detail: `${outcome.reason}; sample: ${outcome.sample}`, items: 0 };
    case 'malformed':
      return { verdict: CanaryVerdict.Changed, detail: `not the expected format: ${outcome.reason}`, items: 0 };
    case 'items': {
      const usable = outcome.items.filter((item) => item.kind !== 'invalid').length;
      const vanished = vanishedField(outcome.items);
      if (vanished)
        return {
          verdict: CanaryVerdict.Changed,
          detail: `required field "${vanished}" is missing from every item`,
          items: outcome.items.length,
        };
      if (usable === 0)
        return {
          verdict: CanaryVerdict.Changed,
          detail: outcome.items.length
            ? `none of the ${outcome.items.length} items could be read`
            : (outcome.endReason ?? 'the first page holds no items'),
          items: outcome.items.length,
        };
      return {
        verdict: CanaryVerdict.Matches,
        detail: `${usable} of ${outcome.items.length} items read`,
        items: outcome.items.length,
      };
    }
  }
}

/** A failed request: blocked by the site, or the site could not be reached at all. */
export function verdictOfError(error: unknown): { verdict: CanaryVerdict; detail: string } {
  if (error instanceof FetchError && error.kind === FetchErrorKind.Http && error.status !== null) {
    if (error.status === 401 || (error.status >= 300 && error.status < 400))
      return { verdict: CanaryVerdict.LoginRequired, detail: error.message };
    if ([403, 429, 456].includes(error.status)) return { verdict: CanaryVerdict.Blocked, detail: error.message };
    if (error.status >= 500) return { verdict: CanaryVerdict.Unreachable, detail: error.message };
    return { verdict: CanaryVerdict.Changed, detail: `the page is gone or refused: ${error.message}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { verdict: CanaryVerdict.Unreachable, detail: `unreachable: ${message}` };
}

/** 0: every source checked matches (or was skipped); 1: a format changed; 3: one could not be checked. */
export function canaryExitCode(results: CanaryResult[]): number {
  if (results.some((result) => result.verdict === CanaryVerdict.Changed)) return 1;
  const unchecked = [CanaryVerdict.LoginRequired, CanaryVerdict.Blocked, CanaryVerdict.Unreachable] as string[];
  if (results.some((result) => unchecked.includes(result.verdict))) return 3;
  return 0;
}
