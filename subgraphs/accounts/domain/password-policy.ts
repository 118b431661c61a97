/**
 * What a password must be (NIST SP 800-63B: length over composition rules): 10 to 128 characters,
 * not one character repeated, and not the contact it protects.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** Why `password` is refused, or null when it is acceptable. */
export function passwordProblem(password: string, contact?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return `a password of ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`;
  }
  if (new Set(password).size === 1) return 'a password that is not one character repeated';
  if (contact && password.toLowerCase().includes(contact.toLowerCase())) {
    return 'a password that does not contain your phone number or e-mail address';
  }
  return null;
}
