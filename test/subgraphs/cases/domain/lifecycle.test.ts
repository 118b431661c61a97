import { Role } from '../../../../platform/context.ts';
import {
  CaseAction,
  TRANSITIONS,
  allowedActions,
  applyAction,
  type ActionInput,
} from '../../../../subgraphs/cases/domain/lifecycle.ts';
import { CASE_STATUSES, CaseStatus, type CaseRecord } from '../../../../subgraphs/cases/domain/model.ts';
import {
  NOW,
  at,
  complainant,
  enterpriseActor,
  filedCase,
  otherComplainant,
  policy,
  staff,
  system,
} from '../fixtures.ts';

function errorOf(fn: () => unknown): { code: unknown; extensions: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions: Record<string, unknown> }).extensions;
    return { code: extensions.code, extensions };
  }
  throw new Error('expected an error');
}

function run(
  record: CaseRecord,
  steps: Array<[ActionInput, 'complainant' | 'staff' | 'enterprise' | 'system', string?]>,
): CaseRecord {
  let current = record;
  for (const [input, who, when] of steps) {
    const actor =
      who === 'complainant'
        ? complainant
        : who === 'staff'
          ? staff
          : who === 'system'
            ? system
            : enterpriseActor(record);
    current = applyAction(current, input, actor, when ? at(when) : NOW, policy).record;
  }
  return current;
}

const forwarded = () =>
  run(filedCase(), [
    [{ action: CaseAction.Accept }, 'staff'],
    [{ action: CaseAction.Forward }, 'staff'],
  ]);

describe('case lifecycle table', () => {
  test('every transition names its origin states, actors and event, and every status appears in the table', () => {
    for (const t of TRANSITIONS) {
      expect(t.from.length).toBeGreaterThan(0);
      expect(t.actors.length).toBeGreaterThan(0);
      expect(t.event).toMatch(/^[A-Z_]+$/);
    }
    const reachable = new Set(TRANSITIONS.flatMap((t) => [...t.from, ...(t.to ? [t.to] : [])]));
    expect([...reachable].sort()).toEqual([...CASE_STATUSES].sort());
  });

  test('the resolved path records one event per step and bumps the version each time', () => {
    const record = filedCase();
    const accepted = applyAction(record, { action: CaseAction.Accept }, staff, NOW, policy);
    expect(accepted.record.status).toBe(CaseStatus.Accepted);
    expect(accepted.record.version).toBe(2);
    expect(accepted.events[0]).toMatchObject({
      type: 'ACCEPTED',
      fromStatus: 'submitted',
      toStatus: 'accepted',
      actorRole: 'staff',
      sequence: 2,
    });
    const fwd = applyAction(accepted.record, { action: CaseAction.Forward }, staff, NOW, policy);
    expect(fwd.record.respondBy).not.toBeNull();
    expect(fwd.notifications.map((n) => n.audience).sort()).toEqual(['complainant', 'enterprise']);
    const replied = applyAction(
      fwd.record,
      { action: CaseAction.Respond, reply: '已安排全额退款' },
      enterpriseActor(record),
      NOW,
      policy,
    );
    expect(replied.record.enterpriseReply).toBe('已安排全额退款');
    const resolved = applyAction(
      replied.record,
      { action: CaseAction.ConfirmResolution, satisfaction: 5 },
      complainant,
      NOW,
      policy,
    );
    expect(resolved.record.status).toBe(CaseStatus.Resolved);
    expect(resolved.record.satisfaction).toBe(5);
    const closed = applyAction(
      resolved.record,
      { action: CaseAction.Close, reason: '双方确认解决' },
      staff,
      NOW,
      policy,
    );
    expect(closed.record.closedFrom).toBe(CaseStatus.Resolved);
    const published = applyAction(closed.record, { action: CaseAction.Publish }, staff, NOW, policy);
    expect(published.record.publication?.outcome).toBe('RESOLVED');
    expect(published.record.status).toBe(CaseStatus.Closed);
  });

  test('the input record is never mutated', () => {
    const record = filedCase();
    const snapshot = JSON.stringify(record);
    applyAction(record, { action: CaseAction.Accept }, staff, NOW, policy);
    expect(JSON.stringify(record)).toBe(snapshot);
  });

  test('every action outside its origin states is a CONFLICT naming the current status and the allowed actions', () => {
    const actors = { complainant, staff, system } as const;
    const record = filedCase();
    const samples: CaseRecord[] = [
      record,
      run(record, [[{ action: CaseAction.Accept }, 'staff']]),
      run(record, [[{ action: CaseAction.Reject, reason: '材料不全' }, 'staff']]),
      forwarded(),
      run(forwarded(), [[{ action: CaseAction.Respond, reply: '已处理' }, 'enterprise']]),
      run(forwarded(), [
        [{ action: CaseAction.Respond, reply: '已处理' }, 'enterprise'],
        [{ action: CaseAction.ConfirmResolution }, 'complainant'],
      ]),
      run(forwarded(), [
        [{ action: CaseAction.Respond, reply: '已处理' }, 'enterprise'],
        [{ action: CaseAction.ReportUnsatisfied, reason: '未退款' }, 'complainant'],
      ]),
      run(record, [
        [{ action: CaseAction.Reject, reason: '材料不全' }, 'staff'],
        [{ action: CaseAction.Appeal, reason: '已补充材料' }, 'complainant'],
      ]),
      run(record, [[{ action: CaseAction.Withdraw, reason: '已和解' }, 'complainant']]),
      run(record, [
        [{ action: CaseAction.Withdraw, reason: '已和解' }, 'complainant'],
        [{ action: CaseAction.Close, reason: '撤诉归档' }, 'staff'],
      ]),
    ];
    expect(new Set(samples.map((s) => s.status)).size).toBe(CASE_STATUSES.length);
    let checked = 0;
    for (const sample of samples) {
      for (const t of TRANSITIONS) {
        if (t.from.includes(sample.status)) continue;
        const role = t.actors[0];
        const actor = role === Role.Enterprise ? enterpriseActor(sample) : actors[role as keyof typeof actors];
        const input: ActionInput = {
          action: t.action,
          reason: 'r',
          reply: 'r',
          expectedVersion: sample.version,
          content: undefined,
          evidenceIds: ['ev_1'],
        };
        const { code, extensions } = errorOf(() => applyAction(sample, input, actor, NOW, policy));
        expect(code).toBe('CONFLICT');
        expect(extensions.currentStatus).toBe(sample.status.toUpperCase());
        expect(extensions.allowedActions).toEqual(allowedActions(sample, actor, policy, NOW));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  test('a role the transition does not name is FORBIDDEN, whatever the state', () => {
    const record = filedCase();
    expect(errorOf(() => applyAction(record, { action: CaseAction.Accept }, complainant, NOW, policy)).code).toBe(
      'FORBIDDEN',
    );
    expect(
      errorOf(() => applyAction(record, { action: CaseAction.Withdraw, reason: 'x' }, staff, NOW, policy)).code,
    ).toBe('FORBIDDEN');
  });

  test('another complainant may not act on the case, and another enterprise may not reply', () => {
    const record = filedCase();
    expect(
      errorOf(() => applyAction(record, { action: CaseAction.Withdraw, reason: 'x' }, otherComplainant, NOW, policy))
        .code,
    ).toBe('FORBIDDEN');
    const fwd = forwarded();
    const stranger = { id: 'rep-9', role: Role.Enterprise, enterpriseId: 'ent1_other' };
    expect(
      errorOf(() => applyAction(fwd, { action: CaseAction.Respond, reply: '好' }, stranger, NOW, policy)).code,
    ).toBe('FORBIDDEN');
  });

  test('reject without a reason is BAD_USER_INPUT at input.reason', () => {
    const { code, extensions } = errorOf(() =>
      applyAction(filedCase(), { action: CaseAction.Reject, reason: '  ' }, staff, NOW, policy),
    );
    expect(code).toBe('BAD_USER_INPUT');
    expect(extensions.argumentPath).toBe('input.reason');
  });

  test('an appeal within the period goes back to staff with a new acceptance deadline', () => {
    const rejected = run(filedCase(), [
      [{ action: CaseAction.Reject, reason: '材料不全' }, 'staff', '2026-11-20T02:00:00Z'],
    ]);
    const appealed = applyAction(
      rejected,
      { action: CaseAction.Appeal, reason: '已补充发票' },
      complainant,
      at('2026-12-05T02:00:00Z'),
      policy,
    );
    expect(appealed.record.status).toBe(CaseStatus.Appealed);
    expect(appealed.record.pendingDeadline).toBe(appealed.record.acceptBy);
    expect(appealed.notifications.map((n) => n.audience)).toEqual(['staff']);
    expect(allowedActions(appealed.record, staff, policy, at('2026-12-05T03:00:00Z'))).toEqual(
      expect.arrayContaining(['ACCEPT', 'REJECT', 'CLOSE']),
    );
  });

  test('an appeal after the period is a CONFLICT that no longer lists APPEAL', () => {
    const rejected = run(filedCase(), [
      [{ action: CaseAction.Reject, reason: '材料不全' }, 'staff', '2026-11-20T02:00:00Z'],
    ]);
    // 15 days after 2026-11-20 is Saturday 2026-12-05, so the period runs to Monday 2026-12-07.
    const late = at('2026-12-08T02:00:00Z');
    const { code, extensions } = errorOf(() =>
      applyAction(rejected, { action: CaseAction.Appeal, reason: '补充' }, complainant, late, policy),
    );
    expect(code).toBe('CONFLICT');
    expect(extensions.allowedActions).not.toContain('APPEAL');
  });

  test('an unsatisfactory reply and an unresolved result can both be appealed', () => {
    const replied = run(forwarded(), [[{ action: CaseAction.Respond, reply: '不予退款' }, 'enterprise']]);
    expect(
      applyAction(replied, { action: CaseAction.Appeal, reason: '答复不合理' }, complainant, NOW, policy).record.status,
    ).toBe('appealed');
    const unresolved = run(replied, [[{ action: CaseAction.ReportUnsatisfied, reason: '未退款' }, 'complainant']]);
    expect(
      applyAction(unresolved, { action: CaseAction.Appeal, reason: '仍未退款' }, complainant, NOW, policy).record
        .status,
    ).toBe('appealed');
  });

  test('the complainant may edit until forwarding (also rejected, or appealed after rejection), never after', () => {
    const edit = (record: CaseRecord): ActionInput => ({
      action: CaseAction.Edit,
      expectedVersion: record.version,
      content: { ...record, amount: record.amount + 1 },
    });
    const rejected = run(filedCase(), [[{ action: CaseAction.Reject, reason: '缺少凭证' }, 'staff']]);
    expect(applyAction(rejected, edit(rejected), complainant, NOW, policy).record).toMatchObject({
      status: CaseStatus.Rejected,
      amount: rejected.amount + 1,
    });
    const appealed = run(rejected, [[{ action: CaseAction.Appeal, reason: '已补充凭证' }, 'complainant']]);
    expect(allowedActions(appealed, complainant, policy, NOW)).toContain(CaseAction.Edit);
    expect(applyAction(appealed, edit(appealed), complainant, NOW, policy).record.status).toBe(CaseStatus.Appealed);
    const appealedAfterReply = run(forwarded(), [
      [{ action: CaseAction.Respond, reply: '不予退款' }, 'enterprise'],
      [{ action: CaseAction.Appeal, reason: '答复不合理' }, 'complainant'],
    ]);
    expect(appealedAfterReply.status).toBe(CaseStatus.Appealed);
    expect(allowedActions(appealedAfterReply, complainant, policy, NOW)).not.toContain(CaseAction.Edit);
    const { code, extensions } = errorOf(() =>
      applyAction(appealedAfterReply, edit(appealedAfterReply), complainant, NOW, policy),
    );
    expect(code).toBe('CONFLICT');
    expect(extensions.currentStatus).toBe('APPEALED');
  });

  test('a stale expectedVersion is a CONFLICT carrying the current version', () => {
    const record = filedCase();
    const { code, extensions } = errorOf(() =>
      applyAction(record, { action: CaseAction.Accept, expectedVersion: 7 }, staff, NOW, policy),
    );
    expect(code).toBe('CONFLICT');
    expect(extensions.currentVersion).toBe(1);
  });

  test('the enterprise is not notified about a case that was never forwarded to it', () => {
    const withdrawn = applyAction(
      filedCase(),
      { action: CaseAction.Withdraw, reason: '已和解' },
      complainant,
      NOW,
      policy,
    );
    expect(withdrawn.notifications.map((n) => n.audience)).toEqual(['staff']);
  });

  test('flagging overdue is for the system and only once the deadline has passed', () => {
    const record = filedCase();
    expect(errorOf(() => applyAction(record, { action: CaseAction.FlagOverdue }, system, NOW, policy)).code).toBe(
      'CONFLICT',
    );
    const later = at('2026-12-20T02:00:00Z');
    expect(applyAction(record, { action: CaseAction.FlagOverdue }, system, later, policy).events[0].type).toBe(
      'OVERDUE_FLAGGED',
    );
  });

  test('a case is published once only, and only when closed', () => {
    const closed = run(filedCase(), [
      [{ action: CaseAction.Reject, reason: '不属于受理范围' }, 'staff'],
      [{ action: CaseAction.Close, reason: '申诉期满' }, 'staff'],
    ]);
    const published = applyAction(closed, { action: CaseAction.Publish }, staff, NOW, policy).record;
    expect(published.publication?.outcome).toBe('REJECTED');
    expect(errorOf(() => applyAction(published, { action: CaseAction.Publish }, staff, NOW, policy)).code).toBe(
      'CONFLICT',
    );
  });

  test('an escalation may name any channel of the directory catalogue, such as the financial regulator', () => {
    const result = applyAction(
      filedCase(),
      { action: CaseAction.RecordEscalation, channelId: 'nfra-12378', reason: '受理号 B-1' },
      complainant,
      NOW,
      policy,
    );
    expect(result.record.escalations.map((escalation) => escalation.channelId)).toEqual(['nfra-12378']);
  });

  test('an escalation names a known directory channel once, and lands on the timeline', () => {
    const record = filedCase();
    const result = applyAction(
      record,
      { action: CaseAction.RecordEscalation, channelId: '12315', reason: '受理号 2026-001' },
      complainant,
      NOW,
      policy,
    );
    expect(result.record.escalations).toEqual([{ channelId: '12315', at: NOW.toISOString(), note: '受理号 2026-001' }]);
    expect(result.events[0]).toMatchObject({ type: 'ESCALATED', note: '12315: 受理号 2026-001' });
    expect(
      errorOf(() =>
        applyAction(
          result.record,
          { action: CaseAction.RecordEscalation, channelId: '12315' },
          complainant,
          NOW,
          policy,
        ),
      ).extensions.argumentPath,
    ).toBe('input.channelId');
    expect(
      errorOf(() =>
        applyAction(record, { action: CaseAction.RecordEscalation, channelId: 'nowhere' }, complainant, NOW, policy),
      ).code,
    ).toBe('BAD_USER_INPUT');
  });

  test('adding evidence appends new ids only and records them on the timeline', () => {
    const record = filedCase();
    const result = applyAction(
      record,
      { action: CaseAction.AddEvidence, evidenceIds: ['ev_1', 'ev_2'] },
      complainant,
      NOW,
      policy,
    );
    expect(result.record.evidenceIds).toEqual(['ev_1', 'ev_2']);
    expect(
      errorOf(() =>
        applyAction(result.record, { action: CaseAction.AddEvidence, evidenceIds: ['ev_1'] }, complainant, NOW, policy),
      ).code,
    ).toBe('BAD_USER_INPUT');
  });
});

describe('the documented table', () => {
  test('renders one Markdown row per transition, straight from TRANSITIONS', async () => {
    const { transitionTableMarkdown } = await import('../../../../subgraphs/cases/domain/lifecycle.ts');
    const lines = transitionTableMarkdown().split('\n');
    expect(lines).toHaveLength(TRANSITIONS.length + 2);
    for (const t of TRANSITIONS)
      expect(lines.some((line) => line.startsWith(`| ${t.action} | ${t.from.join(', ')} |`))).toBe(true);
  });
});
