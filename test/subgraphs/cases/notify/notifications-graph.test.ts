import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import type { WebhookBody } from '../../../../subgraphs/cases/domain/notifications.ts';
import { startGraph, type TestGraph } from '../../../support/graph.ts';
import { mailHeaders, startSmtpSink, startWebhookReceiver, whenReceived } from './receivers.ts';

/**
 * The whole path through the running graph: a mutation commits the change and its outbox rows,
 * the cases subgraph's own dispatcher delivers them to a real SMTP server and a real webhook
 * receiver, and what arrives is what each recipient may see.
 */
const RESPONDENT = { name: '示例电器旗舰店', platform: '示例商城', storeUrl: 'https://mall.example.com/shop/88' };
const ENTERPRISE_ID = enterpriseResolver().resolve({ name: RESPONDENT.name }).id;

let graph: TestGraph;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await startWebhookReceiver('graph-test-webhook-secret');
  graph = await startGraph({
    env: {
      SCHEDULER_ENABLED: 'true',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Weiquan <noreply@weiquan.test>',
      STAFF_NOTIFY_EMAIL: 'desk@weiquan.test',
      ENTERPRISE_WEBHOOK_URLS: `${ENTERPRISE_ID}=${receiver.url}/enterprise`,
      WEBHOOK_SIGNING_SECRET: 'graph-test-webhook-secret',
    },
  });
});

afterAll(async () => {
  await graph?.stop();
  await receiver.stop();
  await smtp.stop();
});

async function mutate<T>(query: string, input: Record<string, unknown>, token: string): Promise<T | undefined> {
  const res = await graph.query<T>(query, { input }, token);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const whoHears = 'filing, accepting and forwarding a case e-mail the complainant and the desk';
test(`${whoHears}, and POST a signed webhook to the enterprise`, async () => {
  const complainant = await graph.tokenFor('complainant', 'user-zhang');
  const staff = await graph.tokenFor('staff', 'staff-1');
  const submitted = await mutate<{ submitCase: { id: string; reference: string; respondent: { id: string } } }>(
    `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id reference respondent { id } } }`,
    {
      complainant: {
        name: '张三丰',
        phone: '13800138000',
        email: 'zhang@example.com',
        address: '上海市浦东新区某路8号',
      },
      respondent: RESPONDENT,
      industry: 'ECOMMERCE',
      issueType: 'REFUND',
      title: '退货后迟迟不退款',
      description: '九月中旬退回了一台电饭煲，商家签收后一直不退款，客服电话打不通，邮件也没有回复，已经过去两个月了。',
      demands: '退还货款 399 元',
      amount: 399,
      occurredOn: '2026-09-15',
      contactedBusinessOn: '2026-09-18',
      businessOutcome: 'NO_REPLY',
    },
    complainant,
  );
  const submitCase = submitted!.submitCase;
  expect(submitCase.respondent.id).toBe(ENTERPRISE_ID);
  await mutate(`mutation($input: CaseStepInput!) { acceptCase(input: $input) { id } }`, { id: submitCase.id }, staff);
  await mutate(`mutation($input: CaseStepInput!) { forwardCase(input: $input) { id } }`, { id: submitCase.id }, staff);

  const subjects = () => smtp.mails.map((mail) => ({ to: mail.to, subject: mailHeaders(mail.raw).subject }));
  await whenReceived(
    () => receiver.hooks.length >= 1 && subjects().filter((m) => m.to.includes('zhang@example.com')).length >= 3,
    'one webhook and three e-mails to the complainant',
  );

  expect(subjects()).toEqual(
    expect.arrayContaining([
      {
        to: ['desk@weiquan.test'],
        subject: `[维权 Weiquan] ${submitCase.reference}: 投诉已提交 / complaint submitted`,
      },
      { to: ['zhang@example.com'], subject: `[维权 Weiquan] ${submitCase.reference}: 投诉已受理 / complaint accepted` },
      {
        to: ['zhang@example.com'],
        subject: `[维权 Weiquan] ${submitCase.reference}: 投诉已转交商家 / complaint forwarded to the business`,
      },
    ]),
  );

  // The enterprise hears only about the case once it is forwarded to it, by webhook.
  expect(receiver.hooks).toHaveLength(1);
  const [hook] = receiver.hooks;
  expect(hook.path).toBe('/enterprise');
  expect(hook).toMatchObject({ webhookId: hook.delivery, signatureProblem: null });
  const body = JSON.parse(hook.body) as WebhookBody;
  expect(body).toMatchObject({
    id: hook.delivery,
    event: 'FORWARDED',
    caseId: submitCase.id,
    data: { reference: submitCase.reference, enterpriseId: ENTERPRISE_ID },
  });
  // The complainant's contact details never leave in a notification to the business.
  for (const personal of ['13800138000', 'zhang@example.com', '张三丰', '浦东新区'])
    expect(hook.body).not.toContain(personal);
});
