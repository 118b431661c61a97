import { EventEmitter, once } from 'node:events';
import type { CodePurpose } from '../../../subgraphs/accounts/domain/codes.ts';
import type { Contact } from '../../../subgraphs/accounts/domain/contact.ts';
import { createAccountsSubgraph, type AccountsOptions } from '../../../subgraphs/accounts/subgraph.ts';
import { startGraph, type TestGraph } from '../../support/graph.ts';

/** A code delivery that keeps the codes for the test to read, in the order they were sent. */
export class CodeInbox {
  private readonly sent: Array<{ to: string; code: string; purpose: CodePurpose }> = [];
  private readonly events = new EventEmitter();

  readonly send = async (contact: Contact, code: string, purpose: CodePurpose): Promise<void> => {
    this.sent.push({ to: contact.value, code, purpose });
    this.events.emit('sent');
  };

  /** How many codes went to `to` so far. */
  count(to: string): number {
    return this.sent.filter((entry) => entry.to === to).length;
  }

  /** The next code sent to `to` after the `after`-th one (waits for it to be delivered). */
  async code(to: string, after = 0): Promise<string> {
    for (;;) {
      const codes = this.sent.filter((entry) => entry.to === to);
      if (codes.length > after) return codes[after].code;
      await once(this.events, 'sent');
    }
  }
}

/** The real graph with the accounts subgraph delivering codes to `inbox`. */
export function startGraphWithInbox(
  inbox: CodeInbox,
  options: { env?: Record<string, string>; accounts?: AccountsOptions } = {},
): Promise<TestGraph> {
  return startGraph({
    ...(options.env ? { env: options.env } : {}),
    overrides: {
      accounts: (config, logger) =>
        createAccountsSubgraph({ config, logger }, { sendCode: inbox.send, ...options.accounts }),
    },
  });
}

export interface SessionShape {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  account: { id: string; role: string; contact: string; verified: boolean };
}
export const SESSION_FIELDS = 'accessToken refreshToken expiresIn account { id role contact verified }';

/** Registers `contact` and confirms it with the code delivered: the new complainant's first session. */
export async function registerAndVerify(
  graph: TestGraph,
  inbox: CodeInbox,
  contact: string,
  password: string,
): Promise<SessionShape> {
  const before = inbox.count(contact);
  const registered = await graph.query('mutation($input: RegisterInput!) { register(input: $input) { message } }', {
    input: { contact, password },
  });
  if (registered.errors) throw new Error(JSON.stringify(registered.errors));
  const code = await inbox.code(contact, before);
  const verified = await graph.query<{ verifyContact: SessionShape }>(
    `mutation($contact: String!, $code: String!) {
      verifyContact(contact: $contact, code: $code) { ${SESSION_FIELDS} } }`,
    { contact, code },
  );
  if (!verified.data) throw new Error(JSON.stringify(verified.errors));
  return verified.data.verifyContact;
}

/** A one-page PDF's first bytes: enough for the content check (magic number) the letters share with evidence. */
export const LETTER_PDF = Buffer.from('%PDF-1.7\n% 授权委托书 / letter of authorisation\n');

/** Uploads an authorisation letter as the holder of `token` through the gateway; the raw response. */
export function uploadLetter(
  graph: TestGraph,
  token: string | null,
  body: Buffer = LETTER_PDF,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(new URL('/representation-letters', graph.gatewayUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/pdf',
      'x-filename': encodeURIComponent('授权委托书.pdf'),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: new Uint8Array(body),
  });
}

/**
 * Asks to represent an enterprise with a freshly uploaded letter, and has staff approve it;
 * returns the enterprise id, for `signIn(enterpriseId:)`.
 */
export async function becomeRepresentative(
  graph: TestGraph,
  session: SessionShape,
  creditCode: string,
  enterpriseName: string,
): Promise<string> {
  const uploaded = await uploadLetter(graph, session.accessToken);
  if (uploaded.status !== 201) throw new Error(`letter upload answered ${uploaded.status}: ${await uploaded.text()}`);
  const { id: letterId } = (await uploaded.json()) as { id: string };
  const asked = await graph.query<{ requestRepresentation: { enterpriseId: string } }>(
    `mutation($c: String!, $n: String!, $l: ID) {
      requestRepresentation(creditCode: $c, enterpriseName: $n, letterId: $l) { enterpriseId } }`,
    { c: creditCode, n: enterpriseName, l: letterId },
    session.accessToken,
  );
  if (!asked.data) throw new Error(JSON.stringify(asked.errors));
  const enterpriseId = asked.data.requestRepresentation.enterpriseId;
  const decided = await graph.query(
    'mutation($a: ID!, $e: ID!) { decideRepresentation(accountId: $a, enterpriseId: $e, approve: true) { status } }',
    { a: session.account.id, e: enterpriseId },
    await graph.tokenFor('staff', 'desk'),
  );
  if (decided.errors) throw new Error(JSON.stringify(decided.errors));
  return enterpriseId;
}
