/**
 * The site's two languages. The gateway picks the default from Accept-Language and writes it into
 * `<html lang>` (gateway/web-assets.ts); `?lang=` in the URL overrides it so a shared link keeps
 * its language.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh-CN' | 'en';

export interface LocalizedText {
  zhCN: string;
  en: string;
}

export function parseLang(value: string | undefined | null): Lang | undefined {
  if (!value) return undefined;
  if (value.toLowerCase().startsWith('en')) return 'en';
  if (value.toLowerCase().startsWith('zh')) return 'zh-CN';
  return undefined;
}

/** The language of a page: `?lang=` when given, else what the server chose from Accept-Language. */
export function languageFor(query: Record<string, string>): Lang {
  return parseLang(query.lang) ?? parseLang(document.documentElement.lang) ?? 'zh-CN';
}

export const LangContext = createContext<Lang>('zh-CN');

export function useLang(): Lang {
  return useContext(LangContext);
}

/** Text the graph returns in both languages, in the page's language. */
export function pick(text: LocalizedText | null | undefined, lang: Lang): string {
  if (!text) return '';
  return lang === 'en' ? text.en : text.zhCN;
}

/** A sentence of the page itself, written in both languages where it is used. */
export function tr(lang: Lang, zhCN: string, en: string): string {
  return lang === 'en' ? en : zhCN;
}

/** Today in China Standard Time, YYYY-MM-DD: the day the directory judges on by default. */
export function todayInChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
