import type { Complainant } from './model.ts';

/**
 * Publication removes the complainant's personal data: the name shrinks to its first character
 * and `**`, and contact details go, including any the complainant typed into the free text.
 *
 * People write numbers and names in many shapes (１３８１１１１２２２２, 138.1111.2222,
 * (138)11112222, 王 小 明, ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ), so matching runs on a folded copy of the text
 * (NFKC per character, invisible format characters dropped) and every match is cut from the
 * original text, which otherwise stays as written (its full-width punctuation included).
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

/** What people put between the digits of a number or the characters of a name (after NFKC). */
const SEPARATOR = String.raw`[\s.\-\u2010-\u2015_·・/()\[\]]`;
/** Between two digits of a number: up to two separators (`) `, ` - `). */
const GAP = `${SEPARATOR}{0,2}`;
const digits = (count: number) => Array.from({ length: count }, () => String.raw`\d`).join(GAP);

const EMAIL = /[A-Za-z0-9._%+-]+\s*@\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Resident identity card numbers: 17 digits and a digit or X, grouped or not (110101 19900307 1234). */
const ID_NUMBER = new RegExp(String.raw`(?<![0-9A-Za-z])${digits(17)}${GAP}[\dXx](?![0-9A-Za-z])`, 'g');
/** Mainland mobiles, with optional +86 and any separators (138 0013 8000, 138.0013.8000, (138)00138000). */
const MOBILE = new RegExp(String.raw`(?<!\d)(?:\+?86${GAP})?\(?1${GAP}[3-9]${GAP}\d\)?${GAP}${digits(8)}(?!\d)`, 'g');
/** Landlines with area code: 010-12345678, (0571) 8888 6666. */
const LANDLINE = new RegExp(String.raw`(?<!\d)\(?0\d{2,3}\)?${GAP}\d{3,4}${GAP}\d{4}(?!\d)`, 'g');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A street address with a house number, wherever it sits in the text: up to twelve Chinese
 * characters before 路/街/大道/巷/弄/胡同, the number and 号, then any building, unit, floor or
 * room (体育西路100号3栋502室). Errs towards removing a few words of context with it.
 */
const STREET_ADDRESS =
  /[\u4e00-\u9fa5]{0,12}(?:路|街|大道|巷|弄|胡同)\s*\d+\s*号(?:\s*[\dA-Za-z一二三四五六七八九十]+\s*(?:号楼|栋|幢|座|单元|层|楼|室|号|户))*/g;
/** A residential compound's building/unit/room (阳光小区5栋2单元301室), with or without a street. */
const COMPOUND_ADDRESS =
  /[\u4e00-\u9fa5]{0,12}(?:小区|花园|公寓|大厦|新村|家园|苑)\s*(?:[\dA-Za-z一二三四五六七八九十]+\s*(?:号楼|栋|幢|座|单元|层|楼|室|号|户)\s*)+/g;
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

/** Text folded for matching, with where each folded UTF-16 unit came from in the original. */
interface Folded {
  text: string;
  from: number[];
  to: number[];
}

/** Invisible characters someone may slip between digits (zero-width space, soft hyphen, bidi marks). */
const INVISIBLE = /^[\p{Cf}]$/u;

/** NFKC per code point (full-width digits, letters, ＠ and ．become ASCII); invisible ones dropped. */
export function foldForMatching(text: string): Folded {
  const folded: Folded = { text: '', from: [], to: [] };
  let index = 0;
  for (const char of text) {
    const end = index + char.length;
    const out = INVISIBLE.test(char) ? '' : char.normalize('NFKC');
    for (let unit = 0; unit < out.length; unit++) {
      folded.from.push(index);
      folded.to.push(end);
    }
    folded.text += out;
    index = end;
  }
  return folded;
}

/**
 * A pattern matching `value` however it is spaced: its folded characters (separators dropped)
 * with up to `gap` separators between any two, case-insensitively. Null when too short to be
 * told apart from ordinary text.
 */
function spacedPattern(value: string, minLength: number, gap = 3): RegExp | null {
  const chars = Array.from(foldForMatching(value).text.replace(new RegExp(SEPARATOR, 'g'), ''));
  if (chars.length < minLength) return null;
  return new RegExp(chars.map(escapeRegExp).join(`${SEPARATOR}{0,${gap}}`), 'giu');
}

/** The registered phone's digits, with an optional +86/0086 country code in front. */
function ownPhonePattern(phone: string): RegExp | null {
  const all = foldForMatching(phone).text.replace(/\D/g, '');
  const national = all.replace(/^(?:0086|86)(?=1\d{10}$)/, '');
  if (national.length < 7) return null;
  const body = Array.from(national).join(GAP);
  return new RegExp(String.raw`(?:(?:\+|00)?8${GAP}6${GAP})?${body}`, 'g');
}

/** A span of the original text to replace; spans that overlap are merged, the first replacement wins. */
type Cut = { start: number; end: number; replacement: string };

function cutsFor(folded: Folded, pattern: RegExp | null, replacement: string): Cut[] {
  if (!pattern) return [];
  return [...folded.text.matchAll(pattern)]
    .filter((match) => match[0].length > 0)
    .map((match) => ({
      start: folded.from[match.index],
      end: folded.to[match.index + match[0].length - 1],
      replacement,
    }));
}

function applyCuts(text: string, cuts: Cut[]): string {
  const merged: Cut[] = [];
  // Earlier cuts win on overlap: the caller lists them from the most specific to the most general.
  const ordered = cuts.map((cut, rank) => ({ ...cut, rank })).sort((a, b) => a.start - b.start || a.rank - b.rank);
  let current: (Cut & { rank: number }) | undefined;
  for (const cut of ordered) {
    if (current && cut.start < current.end) {
      if (cut.rank < current.rank) current = { ...current, replacement: cut.replacement, rank: cut.rank };
      current.end = Math.max(current.end, cut.end);
      continue;
    }
    if (current) merged.push(current);
    current = { ...cut };
  }
  if (current) merged.push(current);
  let result = '';
  let at = 0;
  for (const cut of merged) {
    result += text.slice(at, cut.start) + cut.replacement;
    at = cut.end;
  }
  return result + text.slice(at);
}

/**
 * Removes contact details from free text, and the complainant's own name, phone, e-mail and
 * address wherever they appear, however they are spaced or whichever width they are typed in.
 */
export function scrubText(text: string, complainant: Complainant): string {
  const folded = foldForMatching(text);
  const name = complainant.name.trim();
  const given = givenName(name);
  const addresses = complainant.address ? addressVariants(complainant.address) : [];
  const cuts = [
    ...cutsFor(folded, complainant.phone ? ownPhonePattern(complainant.phone) : null, REDACTED_PHONE),
    ...cutsFor(folded, complainant.email ? spacedPattern(complainant.email, 3, 1) : null, REDACTED_EMAIL),
    ...addresses.flatMap((variant) => cutsFor(folded, spacedPattern(variant, 2, 1), REDACTED_ADDRESS)),
    ...cutsFor(folded, STREET_ADDRESS, REDACTED_ADDRESS),
    ...cutsFor(folded, COMPOUND_ADDRESS, REDACTED_ADDRESS),
    ...cutsFor(folded, EMAIL, REDACTED_EMAIL),
    ...cutsFor(folded, ID_NUMBER, REDACTED_ID_NUMBER),
    ...cutsFor(folded, MOBILE, REDACTED_PHONE),
    ...cutsFor(folded, LANDLINE, REDACTED_PHONE),
    ...cutsFor(folded, spacedPattern(name, 2), maskName(name)),
    // The given name alone (娜娜 of 欧阳娜娜, 三丰 of 张三丰) is how people sign or are addressed.
    ...cutsFor(folded, given ? spacedPattern(given, 2) : null, '**'),
  ];
  return applyCuts(text, cuts);
}

/** True when `text` still contains something that looks like a phone number, an e-mail or a street address. */
export function containsContactDetails(text: string): boolean {
  const folded = foldForMatching(text).text;
  return [EMAIL, MOBILE, LANDLINE, ID_NUMBER, STREET_ADDRESS, COMPOUND_ADDRESS].some((pattern) =>
    new RegExp(pattern.source).test(folded),
  );
}
