import {
  PARKED_UNTIL,
  decideAfterFailure,
  renderEmail,
  webhookBody,
  webhookOutcome,
} from '../../../../subgraphs/cases/domain/notifications.ts';
import { outboxRow } from '../outbox-fixtures.ts';

const NOW = new Date('2026-10-01T00:00:00.000Z');

describe('webhook bodies', () => {
  test('the body names the outbox id, event and case', () => {
    const row = outboxRow('webhook', 'http://x', NOW);
    expect(JSON.parse(webhookBody(row))).toMatchObject({
      id: row.id,
      event: 'FORWARDED',
      caseId: 'case-1',
      data: { reference: 'WQ-20261001-000001' },
    });
  });
});

describe('retry policy', () => {
  test('delays double from one failure to the next until the cap (platform/backoff.ts)', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 10 };
    const delayAfter = (failuresSoFar: number) => {
      const decision = decideAfterFailure(policy, failuresSoFar, false, NOW, 0.999999999);
      return Date.parse(decision.nextAttemptAt) - NOW.getTime();
    };
    expect([0, 1, 2, 3, 4].map(delayAfter)).toEqual([1000, 2000, 4000, 8000, 8000]);
  });
  test('a failure schedules the next attempt after the backoff', () => {
    const decision = decideAfterFailure({ baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 }, 0, false, NOW, 0);
    expect(decision).toEqual({ kind: 'retry', nextAttemptAt: '2026-10-01T00:00:00.500Z' });
  });
  test('the last allowed attempt and a permanent refusal park the row', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 3 };
    expect(decideAfterFailure(policy, 2, false, NOW, 0.5)).toEqual({ kind: 'park', nextAttemptAt: PARKED_UNTIL });
    expect(decideAfterFailure(policy, 0, true, NOW, 0.5)).toEqual({ kind: 'park', nextAttemptAt: PARKED_UNTIL });
  });
  test('webhook answers: 2xx delivered, 4xx refused, 408/429/5xx retried', () => {
    expect([200, 204, 410, 400, 408, 429, 500, 503].map(webhookOutcome)).toEqual([
      'delivered',
      'delivered',
      'refused',
      'refused',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
  });
});

describe('renderEmail', () => {
  test('names the case reference and the event in Chinese and English', () => {
    const email = renderEmail(outboxRow('email', 'a@example.com', NOW), 'example.org');
    expect(email.subject).toBe(
      '[维权 Weiquan] WQ-20261001-000001: 投诉已转交商家 / complaint forwarded to the business',
    );
    expect(email.text).toContain('标题：退款未到账');
    expect(email.text).toContain('Status: forwarded');
  });
  test('derives a stable Message-ID from the outbox id', () => {
    const row = outboxRow('email', 'a@example.com', NOW);
    expect(renderEmail(row, 'example.org').messageId).toBe(`<${row.id}@example.org>`);
  });
  test('an unknown event still gets a readable subject', () => {
    expect(renderEmail(outboxRow('email', 'a@example.com', NOW, { event: 'SOMETHING_NEW' })).subject).toContain(
      'case update (SOMETHING_NEW)',
    );
  });
});
