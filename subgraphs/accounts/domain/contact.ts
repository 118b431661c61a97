/**
 * The contact an account signs in with: a mainland China mobile number or an e-mail address. Both
 * are normalised before they are stored or looked up, so "+86 138-0013-8000" and "13800138000"
 * name the same account, and so do "Li@Example.org" and "li@example.org".
 */
export type ContactKind = 'phone' | 'email';

export interface Contact {
  kind: ContactKind;
  /** The normalised form: 11 digits, or the address lower-cased. */
  value: string;
}

/** Mainland mobile numbers: 11 digits starting 13-19 (MIIT numbering plan). */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
/** Deliberately plain: one @, no spaces, a dot in the domain; delivery of the code proves the rest. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** The contact `raw` names, or null when it is neither a mainland mobile number nor an e-mail address. */
export function parseContact(raw: string): Contact | null {
  const trimmed = raw.trim();
  if (trimmed.includes('@')) {
    const value = trimmed.toLowerCase();
    return value.length <= 254 && EMAIL.test(value) ? { kind: 'email', value } : null;
  }
  const digits = trimmed.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return MAINLAND_MOBILE.test(digits) ? { kind: 'phone', value: digits } : null;
}

/** What the account's owner is shown of their own contact: 138****8000, l***@example.org. */
export function maskContact(contact: Contact): string {
  if (contact.kind === 'phone') return `${contact.value.slice(0, 3)}****${contact.value.slice(7)}`;
  const at = contact.value.indexOf('@');
  return `${contact.value.slice(0, 1)}***${contact.value.slice(at)}`;
}
