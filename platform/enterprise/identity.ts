import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import { normaliseCreditCode } from './credit-code.ts';

/**
 * Every subgraph derives the same `Enterprise.id` for the same business without asking another
 * subgraph: from the unified social credit code when one is known, else from the normalised name
 * (after the reviewed alias table has had its say). Changing this function changes every id in
 * every store, so it is versioned by its prefix.
 */
export const ENTERPRISE_ID_PREFIX = 'ent1_';

/** Legal-form and shop-front suffixes that do not tell two businesses apart. */
const NOISE_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '官方旗舰店',
  '旗舰店',
  '官方店',
  '专卖店',
  '专营店',
  '自营店',
];

/**
 * A comparison key for a published business name: HTML tags and entities removed, full-width
 * forms folded (NFKC), spaces and punctuation dropped, Latin lower-cased, legal-form suffixes cut.
 * Brand and company names are NOT merged here: only the alias table does that.
 */
export function normaliseEnterpriseName(raw: string): string {
  let name = decodeHTML(raw.replace(/<[^>]*>/g, ''));
  name = name.normalize('NFKC').toLowerCase();
  name = name.replace(/[\s\u3000"'“”‘’·•.,，。、()（）【】[\]{}<>《》\-_/\\|]+/g, '');
  let stripped = true;
  while (stripped) {
    stripped = false;
    for (const suffix of NOISE_SUFFIXES) {
      if (name.length > suffix.length && name.endsWith(suffix)) {
        name = name.slice(0, -suffix.length);
        stripped = true;
      }
    }
  }
  return name;
}

/** A display form of a published name: tags and entities removed, spacing tidied, nothing else changed. */
export function cleanDisplayName(raw: string): string {
  return decodeHTML(raw.replace(/<[^>]*>/g, ''))
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One reviewed alias entry: all `names` are the same business as `canonicalName` / `creditCode`. */
export interface AliasEntry {
  canonicalName: string;
  creditCode?: string;
  names: string[];
}

export const IdentityBasis = {
  CreditCode: 'CREDIT_CODE',
  Alias: 'ALIAS',
  Name: 'NAME',
} as const;
export type IdentityBasis = (typeof IdentityBasis)[keyof typeof IdentityBasis];

export interface EnterpriseIdentity {
  id: string;
  /** How the id was derived; NAME means "same normalised name", the weakest basis. */
  basis: IdentityBasis;
  creditCode: string | null;
  normalisedName: string;
}

function hashId(key: string): string {
  return ENTERPRISE_ID_PREFIX + createHash('sha256').update(key).digest('hex').slice(0, 20);
}

export interface EnterpriseResolver {
  resolve(input: { name: string; creditCode?: string | null }): EnterpriseIdentity;
}

/** Builds the resolver over a reviewed alias table (pure: the table is passed in). */
export function createEnterpriseResolver(aliases: AliasEntry[]): EnterpriseResolver {
  const byName = new Map<string, AliasEntry>();
  for (const entry of aliases) {
    for (const name of [entry.canonicalName, ...entry.names]) byName.set(normaliseEnterpriseName(name), entry);
  }
  return {
    resolve({ name, creditCode }) {
      const normalisedName = normaliseEnterpriseName(name);
      const code = creditCode ? normaliseCreditCode(creditCode) : null;
      if (code) return { id: hashId(`usc:${code}`), basis: IdentityBasis.CreditCode, creditCode: code, normalisedName };
      const alias = byName.get(normalisedName);
      if (alias) {
        const aliasCode = alias.creditCode ? normaliseCreditCode(alias.creditCode) : null;
        const id = aliasCode
          ? hashId(`usc:${aliasCode}`)
          : hashId(`name:${normaliseEnterpriseName(alias.canonicalName)}`);
        return { id, basis: IdentityBasis.Alias, creditCode: aliasCode, normalisedName };
      }
      return { id: hashId(`name:${normalisedName}`), basis: IdentityBasis.Name, creditCode: null, normalisedName };
    },
  };
}
