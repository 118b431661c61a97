import { createHash } from 'node:crypto';
import type { Methodology } from '../domain/methodology.ts';
import type { ListedEnterprise } from '../domain/rankings.ts';

/**
 * Published monthly red/black lists. A snapshot is never edited or deleted: publishing the same
 * industry and month again creates the next version, so a list that was cited can always be
 * fetched exactly as it was published.
 */
export interface RedBlackSnapshotInput {
  industry: string;
  /** YYYY-MM, CST. */
  month: string;
  size: number;
  methodology: Methodology;
  red: ListedEnterprise[];
  black: ListedEnterprise[];
  createdAt: number;
  /** Who published it (actor id), or "system" for the month-end job. */
  createdBy: string;
}

export interface RedBlackSnapshot extends RedBlackSnapshotInput {
  id: string;
  version: number;
  /** sha256 of the canonical JSON of the published content: lets a reader verify a copy. */
  contentHash: string;
}

export interface SnapshotStore {
  /** Persists the next version for (industry, month). */
  publish(input: RedBlackSnapshotInput): Promise<RedBlackSnapshot>;
  /** One version, or the latest when `version` is omitted. */
  get(id: string, version?: number): Promise<RedBlackSnapshot | null>;
  /** Every version of every snapshot matching the filter, newest month first, then newest version first. */
  list(filter: { industry?: string; month?: string }): Promise<RedBlackSnapshot[]>;
}

export function snapshotId(industry: string, month: string): string {
  return `rbl-${industry}-${month}`;
}

export function contentHash(input: RedBlackSnapshotInput): string {
  const { industry, month, size, methodology, red, black } = input;
  return createHash('sha256').update(JSON.stringify({ industry, month, size, methodology, red, black })).digest('hex');
}
