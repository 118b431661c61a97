import { createHmac } from 'node:crypto';
import { signWebhook, WEBHOOK_TOLERANCE_SECONDS, webhookSignatureProblem } from '../../platform/webhook-signature.ts';

const SECRET = 's3cret-s3cret-s3cret';
const BODY = '{"id":"msg_1","event":"FORWARDED"}';

test('the signature is v1, and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret', () => {
  const at = new Date('2026-10-01T00:00:00.900Z');
  const headers = signWebhook(SECRET, 'msg_1', at, BODY);
  const expected = createHmac('sha256', SECRET).update(`msg_1.1790812800.${BODY}`).digest('base64');
  expect(headers).toEqual({
    'webhook-id': 'msg_1',
    'webhook-timestamp': '1790812800',
    'webhook-signature': `v1,${expected}`,
  });
});

test('a fresh delivery verifies; another body, id, timestamp or secret does not', () => {
  const headers = signWebhook(SECRET, 'msg_1', new Date(), BODY);
  expect(webhookSignatureProblem(SECRET, BODY, headers)).toBeNull();
  const mismatch = 'No matching signature found';
  expect(webhookSignatureProblem(SECRET, `${BODY} `, headers)).toBe(mismatch);
  expect(webhookSignatureProblem(SECRET, BODY, { ...headers, 'webhook-id': 'msg_2' })).toBe(mismatch);
  const later = String(Number(headers['webhook-timestamp']) + 1);
  expect(webhookSignatureProblem(SECRET, BODY, { ...headers, 'webhook-timestamp': later })).toBe(mismatch);
  expect(webhookSignatureProblem('another-secret-entirely', BODY, headers)).toBe(mismatch);
  expect(webhookSignatureProblem(SECRET, BODY, {})).toBe('Missing required headers');
});

test('a timestamp more than five minutes old or ahead is refused, however valid its signature', () => {
  const at = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000);
  const old = signWebhook(SECRET, 'msg_1', at(-WEBHOOK_TOLERANCE_SECONDS - 5), BODY);
  const ahead = signWebhook(SECRET, 'msg_1', at(WEBHOOK_TOLERANCE_SECONDS + 5), BODY);
  const recent = signWebhook(SECRET, 'msg_1', at(-WEBHOOK_TOLERANCE_SECONDS + 30), BODY);
  expect(webhookSignatureProblem(SECRET, BODY, old)).toBe('Message timestamp too old');
  expect(webhookSignatureProblem(SECRET, BODY, ahead)).toBe('Message timestamp too new');
  expect(webhookSignatureProblem(SECRET, BODY, recent)).toBeNull();
});
