import { enterpriseResolver } from '../../../platform/enterprise/aliases.ts';
import { openSqlite } from '../../../platform/store/sqlite.ts';
import { CaseAction } from '../../../subgraphs/cases/domain/lifecycle.ts';
import {
  canViewCase,
  flagOverdueCases,
  performCaseAction,
  submitCase,
  type CaseCommandDeps,
} from '../../../subgraphs/cases/commands.ts';
import { SqliteCaseRepository } from '../../../subgraphs/cases/store/case-repository-sqlite.ts';
import { complainant, enterpriseActor, filing, otherComplainant, policy, staff } from './fixtures.ts';
import { recipients } from './store/case-repository-contract.ts';

function deps(): CaseCommandDeps {
  return {
    repo: new SqliteCaseRepository(openSqlite(':memory:')),
    policy,
    recipients,
    resolver: enterpriseResolver(),
    evidence: null,
  };
}

const filedOn = new Date('2026-11-02T02:00:00Z');

describe('case commands', () => {
  test('the overdue flag is set once per missed deadline, even with two schedulers running at once', async () => {
    const d = deps();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submitCase(d, complainant, filing(), filedOn)).id);
    const later = new Date('2026-11-20T02:00:00Z');
    const [a, b] = await Promise.all([flagOverdueCases(d, later), flagOverdueCases(d, later)]);
    expect(a + b).toBe(5);
    expect(await flagOverdueCases(d, later)).toBe(0);
    const timelines = await d.repo.timelines(ids);
    for (const id of ids) expect(timelines.get(id)?.filter((e) => e.type === 'OVERDUE_FLAGGED')).toHaveLength(1);
    const outbox = await d.repo.outboxFor(ids[0]);
    expect(outbox.filter((r) => r.event === 'OVERDUE_FLAGGED').map((r) => r.recipient.address)).toEqual([
      'desk@weiquan.invalid',
    ]);
    await d.repo.close();
  });

  const reflagged = 'a forwarded case missing its reply deadline is flagged again for that new deadline';
  test(`${reflagged}, and reaches the enterprise`, async () => {
    const d = deps();
    let record = await submitCase(d, complainant, filing(), filedOn);
    await flagOverdueCases(d, new Date('2026-11-20T02:00:00Z'));
    record = await performCaseAction(
      d,
      staff,
      record.id,
      { action: CaseAction.Accept },
      new Date('2026-11-20T03:00:00Z'),
    );
    record = await performCaseAction(
      d,
      staff,
      record.id,
      { action: CaseAction.Forward },
      new Date('2026-11-20T04:00:00Z'),
    );
    expect(await flagOverdueCases(d, new Date('2026-12-10T02:00:00Z'))).toBe(1);
    const outbox = await d.repo.outboxFor(record.id);
    expect(
      outbox
        .filter((r) => r.event === 'OVERDUE_FLAGGED')
        .map((r) => r.recipient.kind)
        .sort(),
    ).toEqual(['email', 'email', 'webhook']);
    await d.repo.close();
  });

  const unwritable = 'a case whose overdue flag cannot be written does not hold back the others';
  test(`${unwritable}; the failure is reported`, async () => {
    const d = deps();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submitCase(d, complainant, filing(), filedOn)).id);
    const poisoned = [...ids].sort()[0];
    const real = d.repo;
    // The store refuses the write of one case (e.g. a corrupt row); the others must still be flagged.
    const failing: CaseCommandDeps = {
      ...d,
      repo: Object.assign(Object.create(real) as SqliteCaseRepository, {
        commit: (change: Parameters<SqliteCaseRepository['commit']>[0]) =>
          change.record.id === poisoned ? Promise.reject(new Error('disk I/O error')) : real.commit(change),
      }),
    };
    const later = new Date('2026-11-20T02:00:00Z');
    await expect(flagOverdueCases(failing, later)).rejects.toThrow(
      /Flagged 2 overdue case\(s\); 1 could not be flagged/,
    );
    const timelines = await real.timelines(ids);
    for (const id of ids) {
      expect(timelines.get(id)?.filter((e) => e.type === 'OVERDUE_FLAGGED')).toHaveLength(id === poisoned ? 0 : 1);
    }
    expect(await flagOverdueCases(d, later)).toBe(1);
    await real.close();
  });

  test('someone who may not see a case is told it does not exist', async () => {
    const d = deps();
    const record = await submitCase(d, complainant, filing(), filedOn);
    await expect(
      performCaseAction(d, otherComplainant, record.id, { action: CaseAction.Withdraw, reason: 'x' }, filedOn),
    ).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(canViewCase(record, enterpriseActor(record))).toBe(false);
    expect(canViewCase(record, null)).toBe(false);
    await d.repo.close();
  });

  describe('idempotency keys of submitCase', () => {
    test('the same request sent again with its key answers with the first case and files nothing', async () => {
      const d = deps();
      const first = await submitCase(d, complainant, { ...filing(), idempotencyKey: 'retry-1' }, filedOn);
      const later = new Date(filedOn.getTime() + 60_000);
      const again = await submitCase(d, complainant, { ...filing(), idempotencyKey: 'retry-1' }, later);
      expect(again.id).toBe(first.id);
      expect(again.reference).toBe(first.reference);
      expect(await d.repo.countCases()).toBe(1);
      expect(await d.repo.outboxFor(first.id)).toHaveLength(2);
      await d.repo.close();
    });

    test('two copies arriving together file one case', async () => {
      const d = deps();
      const send = () => submitCase(d, complainant, { ...filing(), idempotencyKey: 'together' }, filedOn);
      const [a, b] = await Promise.all([send(), send()]);
      expect(a.id).toBe(b.id);
      expect(await d.repo.countCases()).toBe(1);
      await d.repo.close();
    });

    test('the same key with another input is CONFLICT and files nothing', async () => {
      const d = deps();
      await submitCase(d, complainant, { ...filing(), idempotencyKey: 'reused' }, filedOn);
      const other = { ...filing(), title: '另一件事：商品质量问题', idempotencyKey: 'reused' };
      await expect(submitCase(d, complainant, other, filedOn)).rejects.toMatchObject({
        extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED', idempotencyKey: 'reused' },
      });
      expect(await d.repo.countCases()).toBe(1);
      await d.repo.close();
    });

    test('keys are per caller, and a key is forgotten after 24 hours', async () => {
      const d = deps();
      const mine = await submitCase(d, complainant, { ...filing(), idempotencyKey: 'k' }, filedOn);
      const theirs = await submitCase(d, otherComplainant, { ...filing(), idempotencyKey: 'k' }, filedOn);
      const dayLater = new Date(filedOn.getTime() + 24 * 3_600_000);
      const refiled = await submitCase(d, complainant, { ...filing(), idempotencyKey: 'k' }, dayLater);
      expect(new Set([mine.id, theirs.id, refiled.id]).size).toBe(3);
      await d.repo.close();
    });

    test('a key that is not printable ASCII is BAD_USER_INPUT at input.idempotencyKey', async () => {
      const d = deps();
      await expect(
        submitCase(d, complainant, { ...filing(), idempotencyKey: 'has space' }, filedOn),
      ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentPath: 'input.idempotencyKey' } });
      expect(await d.repo.countCases()).toBe(0);
      await d.repo.close();
    });
  });
});
