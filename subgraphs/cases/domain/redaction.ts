import type { Complainant } from './model.ts';

/**
 * Publication removes the complainant's personal data: the name shrinks to its first character
 * and `**`, and contact details go, including any the complainant typed into the free text.
 */
export const REDACTED_PHONE = '[电话已隐去]';
export const REDACTED_EMAIL = '[邮箱已隐去]';
export const REDACTED_ADDRESS = '[地址已隐去]';
export const REDACTED_ID_NUMBER = '[证件号已隐去]';

/** 张三丰 → 张**; works on code points, so a name starting with a rare (astral) character stays whole. */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0] ?? '';
  return `${first}**`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Resident identity card numbers: 17 digits and a digit or X. */
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** Mainland mobiles, with optional +86 and separators (138 0013 8000, 138-0013-8000). */
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
/** Landlines with area code: 010-12345678, 0571 8888 6666. */
const LANDLINE = /(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Removes contact details from free text, and the complainant's own name and address wherever they appear. */
export function scrubText(text: string, complainant: Complainant): string {
  let result = text;
  if (complainant.address && complainant.address.trim().length >= 2) {
    result = result.replace(new RegExp(escapeRegExp(complainant.address.trim()), 'g'), REDACTED_ADDRESS);
  }
  result = result
    .replace(EMAIL, REDACTED_EMAIL)
    .replace(ID_NUMBER, REDACTED_ID_NUMBER)
    .replace(MOBILE, REDACTED_PHONE)
    .replace(LANDLINE, REDACTED_PHONE);
  const name = complainant.name.trim();
  if (name.length >= 2) result = result.replace(new RegExp(escapeRegExp(name), 'g'), maskName(name));
  return result;
}

/** True when `text` still contains something that looks like a phone number or an e-mail address. */
export function containsContactDetails(text: string): boolean {
  return [EMAIL, MOBILE, LANDLINE, ID_NUMBER].some((pattern) => new RegExp(pattern.source).test(text));
}
