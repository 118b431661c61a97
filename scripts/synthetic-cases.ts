/**
 * Synthetic complaint cases written straight to the SQLite cases store, for the benchmarks that
 * need many (`bench-cases`, `bench-gateway`): going through `submitCase` would take hours at
 * 100,000 cases. One builder and one row writer, so both benchmarks store cases the way the
 * repository does (the same columns, queue deadline and document).
 */
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { addDays, chinaDateOf } from '../platform/calendar/index.ts';
import { ISSUE_TYPES, type Industry } from '../platform/vocabulary.ts';
import type { CaseRecord, CaseStatus } from '../subgraphs/cases/domain/model.ts';
import { queueDeadlineOf } from '../subgraphs/cases/store/case-repository.ts';

/** Statuses reached only after the case was forwarded to the business. */
const FORWARDED_STATUSES: readonly CaseStatus[] = ['forwarded', 'responded', 'resolved', 'unresolved', 'closed'];

export interface SyntheticCaseFacts {
  /** The case's position in the generated set: it numbers the reference. */
  index: number;
  status: CaseStatus;
  submittedAt: string;
  complainantId: string;
  respondent: { id: string; name: string };
  industry: Industry;
  /** The generator's deterministic random source (called three times, in a fixed order). */
  random: () => number;
}

/** A case as the store holds it, filed at `submittedAt` and now in `status`; not contacted, not published. */
export function syntheticCase(facts: SyntheticCaseFacts): CaseRecord {
  const { index, status, submittedAt, random } = facts;
  const submittedOn = chinaDateOf(new Date(submittedAt));
  const waiting = status === 'submitted' || status === 'appealed' || status === 'forwarded';
  return {
    id: randomUUID(),
    reference: `WQ-${submittedOn.replaceAll('-', '')}-${String(index).padStart(6, '0')}`,
    status,
    version: 1,
    complainantId: facts.complainantId,
    submittedAt,
    statusChangedAt: submittedAt,
    acceptedAt: null,
    forwardedAt: FORWARDED_STATUSES.includes(status) ? submittedAt : null,
    respondedAt: null,
    closedAt: null,
    closedFrom: null,
    enterpriseReply: null,
    satisfaction: null,
    acceptBy: addDays(submittedOn, 7),
    respondBy: null,
    pendingDeadline: waiting ? addDays(submittedOn, 7 + Math.floor(random() * 14)) : null,
    publication: null,
    overdueFlaggedFor: null,
    evidenceIds: [],
    escalations: [],
    complainant: { name: '测试用户', phone: '13800000000', email: null, address: null },
    respondent: {
      enterpriseId: facts.respondent.id,
      name: facts.respondent.name,
      creditCode: null,
      address: null,
      storeUrl: null,
      platform: '基准平台',
    },
    industry: facts.industry,
    issueType: ISSUE_TYPES[Math.floor(random() * ISSUE_TYPES.length)],
    title: '基准测试投诉标题',
    description: '这是一条用于性能基准测试的投诉描述，长度与真实投诉相近，内容无实际意义。'.repeat(3),
    demands: '退款',
    amount: Math.round(random() * 500000) / 100,
    occurredOn: addDays(submittedOn, -3),
    region: null,
    contactedBusinessOn: null,
    businessOutcome: null,
    businessRepliedOn: null,
  };
}

/** Writes case rows and their respondents' rows as the SQLite case repository lays them out. */
export function syntheticCaseWriter(db: DatabaseSync) {
  const insertCase = db.prepare(
    'INSERT INTO cases (id, reference, status, version, complainant_id, enterprise_id, submitted_at, forwarded_at, ' +
      'queue_deadline, published_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertEnterprise = db.prepare(
    'INSERT OR REPLACE INTO case_enterprises (id, name, credit_code, industry, updated_at) VALUES (?, ?, NULL, ?, ?)',
  );
  return {
    write(record: CaseRecord): void {
      insertCase.run(
        record.id,
        record.reference,
        record.status,
        record.version,
        record.complainantId,
        record.respondent.enterpriseId,
        record.submittedAt,
        record.forwardedAt,
        queueDeadlineOf(record),
        record.publication?.publishedAt ?? null,
        JSON.stringify(record),
      );
      insertEnterprise.run(record.respondent.enterpriseId, record.respondent.name, record.industry, record.submittedAt);
    },
  };
}
