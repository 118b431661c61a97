import fc from 'fast-check';
import { Role, type Actor } from '../../../../platform/context.ts';
import {
  CaseAction,
  TRANSITIONS,
  allowedActions,
  applyAction,
  type ActionInput,
} from '../../../../subgraphs/cases/domain/lifecycle.ts';
import { KNOWN_CHANNEL_IDS } from '../../../../subgraphs/cases/domain/channels.ts';
import { CASE_STATUSES, type CaseRecord } from '../../../../subgraphs/cases/domain/model.ts';
import { complainant, enterpriseActor, filedCase, otherComplainant, policy, staff, system } from '../fixtures.ts';

const ACTIONS = Object.values(CaseAction);

describe('lifecycle properties', () => {
  test('any sequence of attempts keeps the case consistent; an action succeeds exactly when listed as allowed', () => {
    const base = filedCase();
    const actors: Actor[] = [
      complainant,
      otherComplainant,
      staff,
      system,
      enterpriseActor(base),
      { id: 'rep-x', role: Role.Enterprise, enterpriseId: 'ent1_other' },
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ action: fc.constantFrom(...ACTIONS), actor: fc.nat(actors.length - 1), hours: fc.nat(24 * 20) }),
          { maxLength: 25 },
        ),
        (attempts) => {
          let record: CaseRecord = base;
          let clock = new Date('2026-11-20T02:00:00Z').getTime();
          let evidence = 0;
          for (const attempt of attempts) {
            clock += attempt.hours * 3_600_000;
            const now = new Date(clock);
            const actor = actors[attempt.actor];
            const input: ActionInput = {
              action: attempt.action,
              reason: '理由',
              reply: '答复',
              satisfaction: 3,
              expectedVersion: record.version,
              evidenceIds: [`ev_${++evidence}`],
              channelId: KNOWN_CHANNEL_IDS[record.escalations.length % KNOWN_CHANNEL_IDS.length],
              content: attempt.action === CaseAction.Edit ? { ...record, amount: record.amount + 1 } : undefined,
            };
            if (record.escalations.length >= KNOWN_CHANNEL_IDS.length) break;
            const allowed = allowedActions(record, actor, policy, now).includes(attempt.action);
            let next: CaseRecord | null = null;
            try {
              const result = applyAction(record, input, actor, now, policy);
              next = result.record;
              expect(result.events).toHaveLength(1);
              expect(result.events[0].sequence).toBe(next.version);
              expect(result.events[0].fromStatus).toBe(record.status);
            } catch (error) {
              expect(['CONFLICT', 'FORBIDDEN', 'BAD_USER_INPUT']).toContain(
                (error as { extensions?: { code?: string } }).extensions?.code,
              );
            }
            expect(next !== null).toBe(allowed);
            if (next) {
              expect(next.version).toBe(record.version + 1);
              expect(CASE_STATUSES).toContain(next.status);
              const transition = TRANSITIONS.find((t) => t.action === attempt.action)!;
              expect(next.status).toBe(transition.to ?? record.status);
              record = next;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
