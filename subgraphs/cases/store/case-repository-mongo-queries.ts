import type { Document } from 'mongodb';
import {
  DEADLINE_STATUSES,
  pageSize,
  STAFF_QUEUE_STATUSES,
  cursorParts,
  type EnterpriseCasesFilter,
  type EvidenceCasesFilter,
  type PageRequest,
  type PublishedFilter,
  type QueueFilter,
} from './case-repository.ts';

/**
 * The MongoDB case store's reads as pure find specs (filter, sort, limit), one per listing, so the
 * tests evaluate each with mingo against the SQLite adapter's answers.
 */

/** A find: filter, sort and limit; pure, so tests evaluate it with mingo. */
export interface FindSpec {
  filter: Document;
  sort: Record<string, 1 | -1>;
  limit: number;
}

/** One document past the page: it tells whether a next page exists. */
function limitOf(page: PageRequest): number {
  return pageSize(page) + 1;
}

/** Keyset condition "strictly after (a, b)" in the given direction. */
function keyset(field: string, after: Array<string | null> | null, direction: 1 | -1): Document {
  if (!after) return {};
  const op = direction === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: after[0] } }, { [field]: after[0], _id: { [op]: after[1] } }] };
}

export function complainantCasesQuery(complainantId: string, page: PageRequest): FindSpec {
  const after = cursorParts(page, 2);
  return {
    filter: { $and: [{ complainantId }, keyset('submittedAt', after, -1)] },
    sort: { submittedAt: -1, _id: -1 },
    limit: limitOf(page),
  };
}

export function enterpriseCasesQuery(filter: EnterpriseCasesFilter, page: PageRequest): FindSpec {
  const after = cursorParts(page, 2);
  return {
    filter: {
      $and: [
        { enterpriseId: filter.enterpriseId },
        filter.forwardedOnly ? { forwardedAt: { $type: 'string' } } : {},
        keyset('submittedAt', after, -1),
      ],
    },
    sort: { submittedAt: -1, _id: -1 },
    limit: limitOf(page),
  };
}

export function queueQuery(filter: QueueFilter, page: PageRequest): FindSpec {
  const after = cursorParts(page, 2);
  const statuses = [...new Set(filter.statuses && filter.statuses.length > 0 ? filter.statuses : STAFF_QUEUE_STATUSES)];
  return {
    filter: { $and: [{ status: { $in: statuses } }, keyset('queueDeadline', after, 1)] },
    sort: { queueDeadline: 1, _id: 1 },
    limit: limitOf(page),
  };
}

export function pastDeadlineQuery(beforeDate: string, limit: number): FindSpec {
  return {
    filter: {
      queueDeadline: { $lt: beforeDate },
      status: { $in: [...DEADLINE_STATUSES] },
      $expr: { $ne: ['$overdueFlaggedFor', '$queueDeadline'] },
    },
    sort: { queueDeadline: 1, _id: 1 },
    limit,
  };
}

export function publishedQuery(filter: PublishedFilter, page: PageRequest): FindSpec {
  const after = cursorParts(page, 2);
  return {
    filter: {
      $and: [
        { publishedAt: { $type: 'string' } },
        filter.publishedSince ? { publishedAt: { $gte: filter.publishedSince } } : {},
        keyset('publishedAt', after, 1),
      ],
    },
    sort: { publishedAt: 1, _id: 1 },
    limit: limitOf(page),
  };
}

/**
 * Each enterprise's latest published case (what anyone may know of it), for many enterprises in
 * one round trip: a published page asks for all its respondents at once. The sort follows the
 * `cases_enterprise_published` index, so the server can take the first case of each enterprise
 * from it instead of reading all their cases.
 */
export function latestPublishedPipeline(enterpriseIds: readonly string[]): Document[] {
  return [
    { $match: { enterpriseId: { $in: [...enterpriseIds] }, publishedAt: { $type: 'string' } } },
    { $sort: { enterpriseId: 1, publishedAt: -1, _id: -1 } },
    { $group: { _id: '$enterpriseId', latest: { $first: '$$ROOT' } } },
    { $replaceRoot: { newRoot: '$latest' } },
  ];
}

export function casesWithEvidenceQuery(evidenceId: string, filter: EvidenceCasesFilter, limit: number): FindSpec {
  return {
    filter: {
      evidenceIds: evidenceId,
      ...(filter.complainantId ? { complainantId: filter.complainantId } : {}),
      ...(filter.enterpriseId ? { enterpriseId: filter.enterpriseId } : {}),
      ...(filter.forwardedOnly ? { forwardedAt: { $type: 'string' } } : {}),
    },
    sort: { _id: 1 },
    limit,
  };
}

/** The cases filed under any of `enterpriseIds` (CaseRepository.relinkRespondent). */
export function relinkFilter(enterpriseIds: readonly string[]): Document {
  return { enterpriseId: { $in: [...enterpriseIds] } };
}
