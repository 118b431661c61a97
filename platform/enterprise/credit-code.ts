/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet (digits and upper-case letters without I, O, Z, S, V); the last one is a
 * check character computed from the first 17 with weights 3^i mod 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) return null;
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Upper-cases and strips spaces; returns null unless the code is well-formed with a valid check character. */
export function normaliseCreditCode(raw: string): string | null {
  const code = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NP-RTUWXY]{18}$/.test(code)) return null;
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? code : null;
}

export function isValidCreditCode(raw: string): boolean {
  return normaliseCreditCode(raw) !== null;
}
