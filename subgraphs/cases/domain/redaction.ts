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

/**
 * A street address with a house number, wherever it sits in the text: up to twelve Chinese
 * characters before 路/街/大道/巷/弄/胡同, the number and 号, then any building, unit, floor or
 * room (体育西路100号3栋502室). Errs towards removing a few words of context with it.
 */
const STREET_ADDRESS =
  /[\u4e00-\u9fa5]{0,12}(?:路|街|大道|巷|弄|胡同)\s*[\d０-９]+\s*号(?:\s*[\dA-Za-z０-９一二三四五六七八九十]+\s*(?:号楼|栋|幢|座|单元|层|楼|室|号|户))*/g;
/** A residential compound's building/unit/room (阳光小区5栋2单元301室), with or without a street. */
const COMPOUND_ADDRESS =
  /[\u4e00-\u9fa5]{0,12}(?:小区|花园|公寓|大厦|新村|家园|苑)\s*(?:[\dA-Za-z０-９一二三四五六七八九十]+\s*(?:号楼|栋|幢|座|单元|层|楼|室|号|户)\s*)+/g;
/** Where a Chinese address's administrative prefix ends (广东省|广州市|天河区|…). */
const ADMIN_LEVEL = /(?:自治区|特别行政区|省|市|自治州|盟|区|县|旗|镇|乡|街道)/g;

/**
 * The complainant's address and its shorter forms without the leading province, city or
 * district (天河区体育西路100号, 体育西路100号), longest first, so a partial mention goes too.
 */
export function addressVariants(address: string): string[] {
  const full = address.replace(/\s+/g, '');
  const variants = new Set<string>([address.trim(), full]);
  for (const match of full.matchAll(ADMIN_LEVEL)) {
    const rest = full.slice(match.index + match[0].length);
    if ([...rest].length >= 4) variants.add(rest);
  }
  return [...variants].filter((v) => [...v].length >= 2).sort((a, b) => b.length - a.length);
}

/**
 * The given name of a Chinese name of three or four characters: its last two (one- or
 * two-character surnames take the rest). Null for other names, where it cannot be told apart.
 */
export function givenName(name: string): string | null {
  const chars = Array.from(name.trim());
  if (chars.length < 3 || chars.length > 4 || !chars.every((c) => /\p{Script=Han}/u.test(c))) return null;
  return chars.slice(-2).join('');
}

/** Removes contact details from free text, and the complainant's own name and address wherever they appear. */
export function scrubText(text: string, complainant: Complainant): string {
  let result = text;
  if (complainant.address && complainant.address.trim().length >= 2) {
    for (const variant of addressVariants(complainant.address)) {
      result = result.replace(new RegExp(escapeRegExp(variant), 'g'), REDACTED_ADDRESS);
    }
  }
  result = result
    .replace(STREET_ADDRESS, REDACTED_ADDRESS)
    .replace(COMPOUND_ADDRESS, REDACTED_ADDRESS)
    .replace(EMAIL, REDACTED_EMAIL)
    .replace(ID_NUMBER, REDACTED_ID_NUMBER)
    .replace(MOBILE, REDACTED_PHONE)
    .replace(LANDLINE, REDACTED_PHONE);
  const name = complainant.name.trim();
  if (name.length >= 2) result = result.replace(new RegExp(escapeRegExp(name), 'g'), maskName(name));
  // The given name alone (娜娜 of 欧阳娜娜, 三丰 of 张三丰) is how people sign or are addressed.
  const given = givenName(name);
  if (given) result = result.replace(new RegExp(escapeRegExp(given), 'g'), '**');
  return result;
}

/** True when `text` still contains something that looks like a phone number, an e-mail or a street address. */
export function containsContactDetails(text: string): boolean {
  return [EMAIL, MOBILE, LANDLINE, ID_NUMBER, STREET_ADDRESS, COMPOUND_ADDRESS].some((pattern) =>
    new RegExp(pattern.source).test(text),
  );
}
