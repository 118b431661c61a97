import type { Contact } from './domain/contact.ts';
import type { Caller } from './service.ts';

/**
 * Brute-force limits on sign-in, code checks and code sending, per account (contact) and per
 * client address. `before*` throws when the caller must wait; `on*Failure` counts a failure.
 */
export interface AttemptLimits {
  beforeSignIn(contact: Contact, caller: Caller): Promise<void>;
  onSignInFailure(contact: Contact, caller: Caller): Promise<void>;
  onSignInSuccess(contact: Contact, caller: Caller): Promise<void>;
  beforeCodeCheck(contact: Contact, caller: Caller): Promise<void>;
  onCodeFailure(contact: Contact, caller: Caller): Promise<void>;
  onCodeSuccess(contact: Contact, caller: Caller): Promise<void>;
  beforeCodeSend(contact: Contact, caller: Caller): Promise<void>;
}

const none = async () => undefined;
/** No limits: unit tests of the commands that are not about limits. */
export const NO_LIMITS: AttemptLimits = {
  beforeSignIn: none,
  onSignInFailure: none,
  onSignInSuccess: none,
  beforeCodeCheck: none,
  onCodeFailure: none,
  onCodeSuccess: none,
  beforeCodeSend: none,
};
