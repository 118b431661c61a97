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
});
