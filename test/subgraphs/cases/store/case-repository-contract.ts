import { randomUUID } from 'node:crypto';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import { CaseAction, applyAction, type ActionInput } from '../../../../subgraphs/cases/domain/lifecycle.ts';
import { newCase, validateFiling } from '../../../../subgraphs/cases/domain/filing.ts';
import type { CaseRecord } from '../../../../subgraphs/cases/domain/model.ts';
import { outboxRowsFor, type NotificationRecipients } from '../../../../subgraphs/cases/domain/outbox.ts';
import {
  IdempotencyKeyTakenError,
  StaleVersionError,
  type CaseRepository,
} from '../../../../subgraphs/cases/store/case-repository.ts';
import { idempotencyClaim, type IdempotencyClaim } from '../../../../subgraphs/cases/domain/idempotency.ts';
import { complainant, enterpriseActor, filing, otherComplainant, policy, staff } from '../fixtures.ts';
import type { Actor } from '../../../../platform/context.ts';

export const recipients: NotificationRecipients = {
  staffEmail: 'desk@weiquan.invalid',
  staffWebhook: null,
  enterpriseWebhook: () => 'http://127.0.0.1:9/hook',
};

/** Files a case through the repository as the resolvers do. */
export async function file(
  repo: CaseRepository,
  now: Date,
  options: { actor?: Actor; respondent?: string; industry?: string; idempotency?: IdempotencyClaim } = {},
): Promise<CaseRecord> {
  const actor = options.actor ?? complainant;
  const input = filing({
    respondent: { name: options.respondent ?? '某某电器旗舰店', platform: '某电商平台' },
    occurredOn: '2026-09-01',
    contactedBusinessOn: '2026-09-02',
    businessRepliedOn: '2026-09-03',
    ...(options.industry ? { industry: options.industry } : {}),
  });
  const content = validateFiling(input, enterpriseResolver(), now);
  const created = newCase(content, actor, now, policy);
  return repo.insert({
    ...created,
    idempotency: options.idempotency,
    enqueue: (record) =>
      outboxRowsFor(record, created.event, [{ event: created.event.type, audience: 'staff' }], recipients, now),
  });
}

/** Applies an action and commits it as the resolvers do. */
export async function act(
  repo: CaseRepository,
  record: CaseRecord,
  input: ActionInput,
  actor: Actor,
  now: Date,
): Promise<CaseRecord> {
  const result = applyAction(record, input, actor, now, policy);
  await repo.commit({
    record: result.record,
    events: result.events,
    enqueue: outboxRowsFor(result.record, result.events[0], result.notifications, recipients, now),
  });
  return result.record;
}

export async function collect<T>(
  fetch: (after: string | null) => Promise<{ items: T[]; cursors: string[]; hasNextPage: boolean }>,
): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await fetch(after);
    all.push(...page.items);
    if (!page.hasNextPage) return all;
    after = page.cursors[page.cursors.length - 1];
  }
  throw new Error('pagination did not end');
}

const day = (n: number, hour = 2) => new Date(Date.UTC(2026, 9, n, hour, 0, 0));

/** The repository contract, written once and run against every adapter. */
export function describeCaseRepositoryContract(name: string, makeRepo: () => Promise<CaseRepository>): void {
  describe(`CaseRepository contract (${name})`, () => {
    let repo: CaseRepository;
    beforeEach(async () => {
      repo = await makeRepo();
    });
    afterEach(async () => {
      await repo.close();
    });

    test('insert assigns unique references numbered per China day and sortable by date', async () => {
      const a = await file(repo, new Date('2026-10-05T15:00:00Z'));
      const b = await file(repo, new Date('2026-10-05T17:00:00Z'));
      const c = await file(repo, new Date('2026-10-05T18:00:00Z'));
      expect([a.reference, b.reference, c.reference]).toEqual([
        'WQ-20261005-000001',
        'WQ-20261006-000001',
        'WQ-20261006-000002',
      ]);
      expect((await repo.findByReference(b.reference))?.id).toBe(b.id);
    });

    test('the first event, revision and outbox rows are written with the case', async () => {
      const record = await file(repo, day(5));
      expect((await repo.timelines([record.id])).get(record.id)?.map((e) => e.type)).toEqual(['SUBMITTED']);
      expect((await repo.revisions([record.id])).get(record.id)?.map((r) => r.version)).toEqual([1]);
      const outbox = await repo.outboxFor(record.id);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        caseId: record.id,
        event: 'SUBMITTED',
        recipient: { kind: 'email', address: 'desk@weiquan.invalid' },
        deliveredAt: null,
        attempts: 0,
      });
      expect(outbox[0].payload.reference).toBe(record.reference);
    });

    test('a change, its events and its outbox rows land together', async () => {
      const record = await file(repo, day(5));
      const accepted = await act(repo, record, { action: CaseAction.Accept }, staff, day(6));
      const forwarded = await act(repo, accepted, { action: CaseAction.Forward }, staff, day(7));
      expect(await repo.findById(record.id)).toEqual(forwarded);
      expect((await repo.timelines([record.id])).get(record.id)?.map((e) => e.sequence)).toEqual([1, 2, 3]);
      expect((await repo.outboxFor(record.id)).map((r) => r.event)).toEqual([
        'SUBMITTED',
        'ACCEPTED',
        'FORWARDED',
        'FORWARDED',
      ]);
    });

    test('a change computed from a stale version is refused and writes nothing', async () => {
      const record = await file(repo, day(5));
      await act(repo, record, { action: CaseAction.Accept }, staff, day(6));
      await expect(
        act(repo, record, { action: CaseAction.Reject, reason: '重复' }, staff, day(6)),
      ).rejects.toBeInstanceOf(StaleVersionError);
      expect((await repo.findById(record.id))?.status).toBe('accepted');
      expect((await repo.timelines([record.id])).get(record.id)).toHaveLength(2);
      expect((await repo.outboxFor(record.id)).map((r) => r.event)).toEqual(['SUBMITTED', 'ACCEPTED']);
    });

    test('a write that fails half-way leaves neither the state change nor its outbox rows', async () => {
      const record = await file(repo, day(5));
      const result = applyAction(record, { action: CaseAction.Accept }, staff, day(6), policy);
      const [first] = (await repo.timelines([record.id])).get(record.id) ?? [];
      const duplicateEvent = { ...result.events[0], id: first.id };
      await expect(
        repo.commit({
          record: result.record,
          events: [duplicateEvent],
          enqueue: outboxRowsFor(result.record, result.events[0], result.notifications, recipients, day(6)),
        }),
      ).rejects.toThrow();
      expect((await repo.findById(record.id))?.version).toBe(1);
      expect(await repo.outboxFor(record.id)).toHaveLength(1);
    });

    test('findByIds answers in the order asked, with null for unknown ids', async () => {
      const a = await file(repo, day(5));
      const b = await file(repo, day(6));
      expect((await repo.findByIds([b.id, 'nope', a.id])).map((r) => r?.id ?? null)).toEqual([b.id, null, a.id]);
    });

    test('enterprise facts come from the latest case naming the enterprise', async () => {
      const record = await file(repo, day(5), { industry: 'TELECOM' });
      const facts = await repo.enterprises([record.respondent.enterpriseId, 'ent1_unknown']);
      expect(facts.get(record.respondent.enterpriseId)).toEqual({
        id: record.respondent.enterpriseId,
        name: '某某电器旗舰店',
        creditCode: null,
        industry: 'TELECOM',
      });
      expect(facts.has('ent1_unknown')).toBe(false);
    });

    test('published enterprise facts come from the latest published case only', async () => {
      const unpublished = await file(repo, day(5), { respondent: '只有未公开投诉的店' });
      let published = await file(repo, day(6), { respondent: '有公开投诉的店', industry: 'TELECOM' });
      await file(repo, day(7), { respondent: '有公开投诉的店', industry: 'ECOMMERCE' }); // newer, unpublished
      published = await act(repo, published, { action: CaseAction.Reject, reason: '不属受理范围' }, staff, day(8));
      published = await act(repo, published, { action: CaseAction.Close, reason: '结案' }, staff, day(9));
      published = await act(repo, published, { action: CaseAction.Publish }, staff, day(10));
      const id = published.respondent.enterpriseId;
      const facts = await repo.publishedEnterprises([unpublished.respondent.enterpriseId, id, 'ent1_unknown']);
      expect([...facts.keys()]).toEqual([id]);
      expect(facts.get(id)).toEqual({ id, name: '有公开投诉的店', creditCode: null, industry: 'TELECOM' });
    });

    test('a complainant lists their own cases newest first, page by page, each once', async () => {
      const mine: string[] = [];
      for (let i = 1; i <= 7; i++) mine.push((await file(repo, day(i))).id);
      await file(repo, day(3), { actor: otherComplainant });
      const listed = await collect((after) => repo.listForComplainant(complainant.id, { first: 3, after }));
      expect(listed.map((r) => r.id)).toEqual(mine.reverse());
    });

    test('an enterprise representative sees only the cases forwarded to it', async () => {
      const a = await file(repo, day(1));
      const b = await file(repo, day(2));
      await file(repo, day(3), { respondent: '另一家公司' });
      await act(
        repo,
        await act(repo, b, { action: CaseAction.Accept }, staff, day(4)),
        { action: CaseAction.Forward },
        staff,
        day(4),
      );
      const enterpriseId = a.respondent.enterpriseId;
      const all = await collect((after) =>
        repo.listForEnterprise({ enterpriseId, forwardedOnly: false }, { first: 1, after }),
      );
      expect(all.map((r) => r.id)).toEqual([b.id, a.id]);
      const forwarded = await repo.listForEnterprise({ enterpriseId, forwardedOnly: true }, { first: 10 });
      expect(forwarded.items.map((r) => r.id)).toEqual([b.id]);
      expect(enterpriseActor(b).enterpriseId).toBe(enterpriseId);
    });

    test('relinking moves the cases of name ids under the credit-code id, with the facts, once', async () => {
      const byName = await file(repo, day(1));
      const other = await file(repo, day(2), { respondent: '另一家公司' });
      const nameId = byName.respondent.enterpriseId;
      const codeId = 'ent1_0123456789abcdef0123';
      expect(await repo.relinkRespondent([nameId, 'ent1_unknown'], codeId)).toBe(1);
      expect(await repo.relinkRespondent([nameId], codeId)).toBe(0);
      expect((await repo.findById(byName.id))?.respondent.enterpriseId).toBe(codeId);
      expect((await repo.findById(other.id))?.respondent.enterpriseId).toBe(other.respondent.enterpriseId);
      const listed = await repo.listForEnterprise({ enterpriseId: codeId, forwardedOnly: false }, { first: 10 });
      expect(listed.items.map((r) => r.id)).toEqual([byName.id]);
      expect(
        (await repo.listForEnterprise({ enterpriseId: nameId, forwardedOnly: false }, { first: 10 })).items,
      ).toEqual([]);
      expect((await repo.enterprises([codeId])).get(codeId)).toMatchObject({ id: codeId, name: '某某电器旗舰店' });
      // The version is unchanged: a staff action computed before the relink still commits.
      expect((await repo.findById(byName.id))?.version).toBe(byName.version);
    });

    test('the staff queue lists waiting cases by soonest deadline, then id, across pages', async () => {
      const records: CaseRecord[] = [];
      for (let i = 12; i <= 17; i++) records.push(await file(repo, day(i)));
      const accepted = await act(repo, records[0], { action: CaseAction.Accept }, staff, day(18));
      await act(repo, records[1], { action: CaseAction.Reject, reason: '不受理' }, staff, day(18));
      const queue = await collect((after) => repo.queue({}, { first: 2, after }));
      // accepted has no running deadline, so it comes last; rejected is not waiting on staff.
      const waiting = records.slice(2).sort((a, b) => (a.acceptBy + a.id < b.acceptBy + b.id ? -1 : 1));
      expect(new Set(waiting.map((r) => r.acceptBy)).size).toBeGreaterThan(1);
      expect(queue.map((r) => r.id)).toEqual([...waiting.map((r) => r.id), accepted.id]);
      const onlyRejected = await repo.queue({ statuses: ['rejected'] }, { first: 10 });
      expect(onlyRejected.items.map((r) => r.id)).toEqual([records[1].id]);
    });

    test('cases past their deadline are listed for the overdue scheduler', async () => {
      const early = await file(repo, day(1));
      await file(repo, day(20));
      expect((await repo.listPastDeadline('2026-10-15', 10)).map((r) => r.id)).toEqual([early.id]);
      await act(
        repo,
        early,
        { action: CaseAction.FlagOverdue },
        { id: 'scheduler', role: 'system' },
        new Date('2026-10-14T20:00:00Z'),
      );
      expect(await repo.listPastDeadline('2026-10-15', 10)).toEqual([]);
    });

    test('published cases come in publication order, filtered by publishedSince, paged', async () => {
      const published: CaseRecord[] = [];
      for (let i = 1; i <= 4; i++) {
        let record = await file(repo, day(i));
        record = await act(repo, record, { action: CaseAction.Reject, reason: '不受理' }, staff, day(i));
        record = await act(repo, record, { action: CaseAction.Close, reason: '结案' }, staff, day(i));
        published.push(await act(repo, record, { action: CaseAction.Publish }, staff, day(10 - i)));
      }
      await file(repo, day(5));
      const all = await collect((after) => repo.published({}, { first: 3, after }));
      expect(all.map((r) => r.id)).toEqual([...published].reverse().map((r) => r.id));
      const since = await repo.published({ publishedSince: day(8).toISOString() }, { first: 10 });
      expect(since.items.map((r) => r.id)).toEqual([published[1].id, published[0].id]);
    });

    const attached = 'casesWithEvidence finds every case a file is attached to, whoever uploaded it';
    test(`${attached}, at filing and by addEvidence`, async () => {
      const a = await file(repo, day(1));
      const b = await file(repo, day(2), { actor: otherComplainant });
      await act(
        repo,
        a,
        { action: CaseAction.AddEvidence, evidenceIds: ['ev_staff_note', 'ev_receipt'] },
        staff,
        day(3),
      );
      await act(repo, b, { action: CaseAction.AddEvidence, evidenceIds: ['ev_staff_note'] }, staff, day(3));
      expect((await repo.casesWithEvidence('ev_staff_note', {}, 10)).map((r) => r.id).sort()).toEqual(
        [a.id, b.id].sort(),
      );
      expect((await repo.casesWithEvidence('ev_receipt', {}, 10)).map((r) => r.id)).toEqual([a.id]);
      expect(await repo.casesWithEvidence('ev_unknown', {}, 10)).toEqual([]);
      expect(await repo.casesWithEvidence('ev_staff_note', {}, 1)).toHaveLength(1);
      // Narrowed to the caller's own cases, so a file shared by many cases is found for each party.
      expect(
        (await repo.casesWithEvidence('ev_staff_note', { complainantId: otherComplainant.id }, 1)).map((r) => r.id),
      ).toEqual([b.id]);
      expect(
        (await repo.casesWithEvidence('ev_staff_note', { complainantId: complainant.id }, 1)).map((r) => r.id),
      ).toEqual([a.id]);
      expect(await repo.casesWithEvidence('ev_receipt', { complainantId: otherComplainant.id }, 10)).toEqual([]);
      expect(
        await repo.casesWithEvidence(
          'ev_receipt',
          { enterpriseId: a.respondent.enterpriseId, forwardedOnly: true },
          10,
        ),
      ).toEqual([]);
      await act(
        repo,
        await act(repo, (await repo.findById(a.id))!, { action: CaseAction.Accept }, staff, day(4)),
        { action: CaseAction.Forward },
        staff,
        day(4),
      );
      expect(
        (
          await repo.casesWithEvidence(
            'ev_receipt',
            { enterpriseId: a.respondent.enterpriseId, forwardedOnly: true },
            10,
          )
        ).map((r) => r.id),
      ).toEqual([a.id]);
      expect(
        await repo.casesWithEvidence('ev_receipt', { enterpriseId: 'ent1_other', forwardedOnly: true }, 10),
      ).toEqual([]);
    });

    test('an idempotency key is stored with its case and found again until it expires', async () => {
      const claim = idempotencyClaim(complainant, 'submitCase', 'key-1', { title: 'a' }, day(5), 'input.key');
      const record = await file(repo, day(5), { idempotency: claim });
      const held = { operation: 'submitCase', fingerprint: claim.fingerprint, caseId: record.id };
      expect(await repo.findIdempotencyKey(claim.scope, 'key-1', day(5, 3).toISOString())).toEqual({
        ...held,
        expiresAt: claim.expiresAt,
      });
      expect(await repo.findIdempotencyKey(claim.scope, 'key-1', claim.expiresAt)).toBeNull();
      expect(await repo.findIdempotencyKey('complainant:someone-else', 'key-1', day(5, 3).toISOString())).toBeNull();
    });

    test('a second insert with a held key writes nothing and names the first case', async () => {
      const claim = idempotencyClaim(complainant, 'submitCase', 'key-2', { title: 'a' }, day(5), 'input.key');
      const first = await file(repo, day(5), { idempotency: claim });
      const again = { ...claim, createdAt: day(5, 3).toISOString() };
      const error = await file(repo, day(5, 3), { idempotency: again }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyKeyTakenError);
      expect((error as IdempotencyKeyTakenError).existing.caseId).toBe(first.id);
      expect(await repo.countCases()).toBe(1);
    });

    test('keys are per caller, and an expired key may file again', async () => {
      const claim = idempotencyClaim(complainant, 'submitCase', 'key-3', { title: 'a' }, day(5), 'input.key');
      const first = await file(repo, day(5), { idempotency: claim });
      const theirs = idempotencyClaim(otherComplainant, 'submitCase', 'key-3', { title: 'a' }, day(5), 'input.key');
      const other = await file(repo, day(5), { actor: otherComplainant, idempotency: theirs });
      const later = idempotencyClaim(complainant, 'submitCase', 'key-3', { title: 'b' }, day(7), 'input.key');
      const refiled = await file(repo, day(7), { idempotency: later });
      expect(new Set([first.id, other.id, refiled.id]).size).toBe(3);
      expect((await repo.findIdempotencyKey(claim.scope, 'key-3', day(7, 3).toISOString()))?.caseId).toBe(refiled.id);
    });

    test('a cursor that is not ours is BAD_USER_INPUT at "after"', async () => {
      await expect(repo.queue({}, { first: 5, after: 'garbage' })).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', argumentPath: 'after' },
      });
    });

    test('ids are uuids, so the contract never depends on insertion order', () => {
      expect(randomUUID()).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
