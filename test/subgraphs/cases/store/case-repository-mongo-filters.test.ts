import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator, Query } from 'mingo';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { CaseAction } from '../../../../subgraphs/cases/domain/lifecycle.ts';
import type { CaseRecord } from '../../../../subgraphs/cases/domain/model.ts';
import {
  idempotencyKeyFilter,
  toCaseDocument,
} from '../../../../subgraphs/cases/store/case-repository-mongo-documents.ts';
import {
  casesWithEvidenceQuery,
  complainantCasesQuery,
  enterpriseCasesQuery,
  latestPublishedPipeline,
  pastDeadlineQuery,
  publishedQuery,
  queueQuery,
  relinkFilter,
  type FindSpec,
} from '../../../../subgraphs/cases/store/case-repository-mongo-queries.ts';
import { SORT_KEYS, encodeCursor, type Page } from '../../../../subgraphs/cases/store/case-repository.ts';
import { SqliteCaseRepository } from '../../../../subgraphs/cases/store/case-repository-sqlite.ts';
import { idempotencyClaim } from '../../../../subgraphs/cases/domain/idempotency.ts';
import { complainant, otherComplainant, staff } from '../fixtures.ts';
import { act, file } from './case-repository-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'weiquan-cases-mingo-'));
let repo: SqliteCaseRepository;
let docs: Record<string, unknown>[];
let records: CaseRecord[];

/** A mixed fixture: several complainants, two enterprises, every kind of state, some published. */
beforeAll(async () => {
  repo = new SqliteCaseRepository(openSqlite(join(dir, 'cases.db')));
  for (let i = 0; i < 24; i++) {
    const now = new Date(Date.UTC(2026, 9, 10 + (i % 12), i % 5, 0, 0));
    let record = await file(repo, now, {
      actor: i % 3 === 0 ? otherComplainant : complainant,
      respondent: i % 2 ? '甲公司' : '乙公司',
    });
    const later = (h: number) => new Date(now.getTime() + h * 3_600_000);
    if (i % 4 >= 1) record = await act(repo, record, { action: CaseAction.Accept }, staff, later(1));
    if (i % 4 >= 2) record = await act(repo, record, { action: CaseAction.Forward }, staff, later(2));
    if (i % 4 === 3) {
      record = await act(
        repo,
        record,
        { action: CaseAction.Respond, reply: '已处理' },
        { id: 'rep', role: 'enterprise', enterpriseId: record.respondent.enterpriseId },
        later(3),
      );
      record = await act(repo, record, { action: CaseAction.Close, reason: '结案' }, staff, later(4));
      if (i % 8 === 3) record = await act(repo, record, { action: CaseAction.Publish }, staff, later(5 + (i % 3)));
    }
  }
  records = (await repo.findByIds(await allIds())).filter((r): r is CaseRecord => r !== null);
  docs = records.map((r) => toCaseDocument(r) as unknown as Record<string, unknown>);
});

async function allIds(): Promise<string[]> {
  return (repo.db.prepare('SELECT id FROM cases').all() as Array<{ id: string }>).map((r) => r.id);
}

afterAll(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

function viaMingo(spec: FindSpec): string[] {
  return new Query(spec.filter)
    .find(docs)
    .sort(spec.sort)
    .limit(spec.limit)
    .all()
    .map((d) => String((d as { _id: string })._id));
}

async function sameEveryPage(
  sqlite: (after: string | null) => Promise<Page<CaseRecord>>,
  mongo: (after: string | null) => FindSpec,
): Promise<number> {
  let after: string | null = null;
  let seen = 0;
  for (let guard = 0; guard < 50; guard++) {
    const page = await sqlite(after);
    expect(viaMingo(mongo(after)).slice(0, page.items.length)).toEqual(page.items.map((r) => r.id));
    seen += page.items.length;
    if (!page.hasNextPage) return seen;
    after = page.cursors[page.cursors.length - 1];
  }
  throw new Error('no end');
}

describe('MongoDB filter builders agree with the SQLite adapter (evaluated with mingo)', () => {
  test('a complainant’s cases, newest first, every page', async () => {
    const seen = await sameEveryPage(
      (after) => repo.listForComplainant(complainant.id, { first: 4, after }),
      (after) => complainantCasesQuery(complainant.id, { first: 4, after }),
    );
    expect(seen).toBe(16);
  });

  test('an enterprise’s cases, all and forwarded only', async () => {
    const enterpriseId = records[0].respondent.enterpriseId;
    for (const forwardedOnly of [false, true]) {
      const seen = await sameEveryPage(
        (after) => repo.listForEnterprise({ enterpriseId, forwardedOnly }, { first: 3, after }),
        (after) => enterpriseCasesQuery({ enterpriseId, forwardedOnly }, { first: 3, after }),
      );
      expect(seen).toBeGreaterThan(0);
    }
  });

  test('each enterprise’s latest published case, which its public facts come from', async () => {
    const enterpriseIds = [...new Set(records.map((r) => r.respondent.enterpriseId))];
    const facts = await repo.publishedEnterprises(enterpriseIds);
    expect(facts.size).toBeGreaterThan(0);
    // One pipeline for all the enterprises (and one that has none), evaluated with mingo.
    const latestOf = new Map(
      new Aggregator(latestPublishedPipeline([...enterpriseIds, 'no-such-enterprise']))
        .run(docs)
        .map((d) => [String(d.enterpriseId), String(d._id)]),
    );
    expect(latestOf.has('no-such-enterprise')).toBe(false);
    for (const enterpriseId of enterpriseIds) {
      const latest = latestOf.get(enterpriseId);
      const record = records.find((r) => r.id === latest);
      expect(record?.publication?.respondentName ?? null).toBe(facts.get(enterpriseId)?.name ?? null);
      if (record)
        expect(record.publication?.publishedAt).toBe(
          records
            .filter((r) => r.respondent.enterpriseId === enterpriseId && r.publication)
            .map((r) => r.publication?.publishedAt ?? '')
            .sort()
            .at(-1),
        );
    }
  });

  test('the staff queue, default and chosen statuses', async () => {
    for (const statuses of [undefined, ['forwarded', 'closed'] as const]) {
      const filter = statuses ? { statuses: [...statuses] } : {};
      const seen = await sameEveryPage(
        (after) => repo.queue(filter, { first: 5, after }),
        (after) => queueQuery(filter, { first: 5, after }),
      );
      expect(seen).toBeGreaterThan(5);
    }
  });

  test('published cases with and without publishedSince', async () => {
    const first = records
      .filter((r) => r.publication)
      .map((r) => r.publication!.publishedAt)
      .sort()[1];
    for (const publishedSince of [null, first]) {
      const seen = await sameEveryPage(
        (after) => repo.published({ publishedSince }, { first: 1, after }),
        (after) => publishedQuery({ publishedSince }, { first: 1, after }),
      );
      expect(seen).toBeGreaterThan(0);
    }
  });

  test('cases past their deadline', async () => {
    const sqlite = (await repo.listPastDeadline('2026-10-20', 100)).map((r) => r.id);
    expect(sqlite.length).toBeGreaterThan(0);
    expect(viaMingo(pastDeadlineQuery('2026-10-20', 100))).toEqual(sqlite);
  });

  test('the cases an evidence file is attached to', async () => {
    const [a, b] = records.filter((r) => r.status === 'submitted');
    await act(
      repo,
      a,
      { action: CaseAction.AddEvidence, evidenceIds: ['ev_shared', 'ev_only_a'] },
      staff,
      new Date('2026-10-25T02:00:00Z'),
    );
    await act(
      repo,
      b,
      { action: CaseAction.AddEvidence, evidenceIds: ['ev_shared'] },
      staff,
      new Date('2026-10-25T02:00:00Z'),
    );
    const current = (await repo.findByIds(await allIds())).map(
      (r) => toCaseDocument(r!) as unknown as Record<string, unknown>,
    );
    const mingo = (spec: FindSpec) =>
      new Query(spec.filter)
        .find(current)
        .sort(spec.sort)
        .limit(spec.limit)
        .all()
        .map((d) => String((d as { _id: string })._id));
    const filters = [
      {},
      { complainantId: a.complainantId },
      { complainantId: 'nobody' },
      { enterpriseId: a.respondent.enterpriseId },
      { enterpriseId: a.respondent.enterpriseId, forwardedOnly: true },
    ];
    for (const id of ['ev_shared', 'ev_only_a', 'ev_none']) {
      for (const filter of filters) {
        const sqlite = (await repo.casesWithEvidence(id, filter, 10)).map((r) => r.id);
        expect(mingo(casesWithEvidenceQuery(id, filter, 10))).toEqual(sqlite);
      }
    }
    expect(mingo(casesWithEvidenceQuery('ev_shared', {}, 10)).sort()).toEqual([a.id, b.id].sort());
  });

  test('cursors are shared: a SQLite cursor pages the Mongo query from the same place', () => {
    const sorted = [...records].sort((a, b) => (SORT_KEYS.queue(a).join('|') < SORT_KEYS.queue(b).join('|') ? -1 : 1));
    const cursor = encodeCursor(SORT_KEYS.queue(sorted[0]));
    expect(viaMingo(queueQuery({ statuses: [sorted[0].status] }, { first: 100, after: cursor }))).not.toContain(
      sorted[0].id,
    );
  });
});

test("the idempotency key filter finds what SQLite finds: the caller's own key, until it expires", async () => {
  const at = new Date(Date.UTC(2026, 10, 1, 2));
  const mine = idempotencyClaim(complainant, 'submitCase', 'k', { n: 1 }, at, 'input.key');
  const theirs = idempotencyClaim(otherComplainant, 'submitCase', 'k', { n: 2 }, at, 'input.key');
  const claims = [mine, theirs].map((claim) => ({ ...claim, caseId: records[0].id }));
  repo.db.prepare('DELETE FROM case_idempotency_keys').run();
  const insert = repo.db.prepare(
    `INSERT INTO case_idempotency_keys (scope, key, operation, fingerprint, case_id, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const c of claims) insert.run(c.scope, c.key, c.operation, c.fingerprint, c.caseId, c.createdAt, c.expiresAt);
  for (const now of [at.toISOString(), mine.expiresAt, new Date(at.getTime() + 1000).toISOString()]) {
    const found = new Query(idempotencyKeyFilter(mine.scope, 'k', now)).find(claims).all();
    const sqlite = await repo.findIdempotencyKey(mine.scope, 'k', now);
    expect(found.map((d) => (d as { fingerprint: string }).fingerprint)).toEqual(sqlite ? [sqlite.fingerprint] : []);
  }
  expect(await repo.findIdempotencyKey(mine.scope, 'k', at.toISOString())).not.toBeNull();
  expect(await repo.findIdempotencyKey(mine.scope, 'k', mine.expiresAt)).toBeNull();
});

test('the relink filter matches the cases of the name ids only, as the SQLite adapter moves them', () => {
  const ids = [...new Set(records.map((r) => r.respondent.enterpriseId))];
  expect(ids).toHaveLength(2);
  const matched = new Query(relinkFilter([ids[0], 'ent1_unknown'])).find(docs).all();
  expect(matched.map((d) => String((d as { _id: string })._id)).sort()).toEqual(
    records
      .filter((r) => r.respondent.enterpriseId === ids[0])
      .map((r) => r.id)
      .sort(),
  );
});
