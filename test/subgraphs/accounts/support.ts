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
