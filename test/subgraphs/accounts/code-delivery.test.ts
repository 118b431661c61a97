/**
 * Codes through the real transports: e-mail to the SMTP test server the notification tests use,
 * SMS to a webhook receiver (signed like the case webhooks); sign-up and sign-in end to end.
 */
import { postGraphQL, startGraph, type TestGraph } from '../../support/graph.ts';
import {
  codeInMail,
  startSmtpSink,
  startWebhookReceiver,
  whenReceived,
  type ReceivedHook,
} from '../cases/notify/receivers.ts';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sms: Awaited<ReturnType<typeof startWebhookReceiver>>;
let graph: TestGraph;
const SECRET = 'accounts-test-webhook-secret';

beforeAll(async () => {
  smtp = await startSmtpSink();
  sms = await startWebhookReceiver(SECRET);
  graph = await startGraph({
    env: { SMTP_URL: smtp.url, SMS_WEBHOOK_URL: `${sms.url}/sms`, WEBHOOK_SIGNING_SECRET: SECRET },
  });
});
afterAll(async () => {
  await graph.stop();
  await smtp.stop();
  await sms.stop();
});

async function registerAndSignIn(contact: string, code: () => Promise<string>) {
  const password = 'a password for the test';
  const registered = await postGraphQL(
    graph.gatewayUrl,
    'mutation($i: RegisterInput!) { register(input: $i) { message } }',
    { i: { contact, password } },
  );
  expect(registered.errors).toBeUndefined();
  const verified = await postGraphQL<{ verifyContact: { accessToken: string } }>(
    graph.gatewayUrl,
    'mutation($c: String!, $code: String!) { verifyContact(contact: $c, code: $code) { accessToken } }',
    { c: contact, code: await code() },
  );
  expect(verified.errors).toBeUndefined();
  const signedIn = await postGraphQL<{ signIn: { accessToken: string } }>(
    graph.gatewayUrl,
    'mutation($c: String!, $p: String!) { signIn(contact: $c, password: $p) { accessToken } }',
    { c: contact, p: password },
  );
  expect(signedIn.errors).toBeUndefined();
}

test('an e-mail address gets its code over SMTP, and the account signs in', async () => {
  const to = 'mailbox@example.org';
  await registerAndSignIn(to, async () => {
    await whenReceived(() => smtp.mails.some((mail) => mail.to.includes(to)), 'the code mail');
    return codeInMail(smtp.mails.find((mail) => mail.to.includes(to))!);
  });
});

test('a mobile number gets its code through the signed SMS webhook, and the account signs in', async () => {
  const to = '13698765432';
  const received = () => sms.hooks.find((hook) => hook.path === '/sms' && JSON.parse(hook.body).to === to);
  await registerAndSignIn(to, async () => {
    await whenReceived(() => received() !== undefined, 'the SMS webhook');
    const hook = received() as ReceivedHook;
    // The receiver checks the Standard Webhooks signature over id, timestamp and body.
    expect(hook.signatureProblem).toBeNull();
    expect(hook.signature).toMatch(/^v1,/);
    return /Your code is (\d{6})/.exec(JSON.parse(hook.body).text)![1];
  });
});
