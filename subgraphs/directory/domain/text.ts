import {
  DayKind,
  InformationItem,
  Proceeding,
  type Channel,
  type LegalReference,
  type Localized,
} from './catalogue.ts';

/** Bilingual text building for reasons and next steps; kept apart so the rules read as rules. */

export const both = (zh: string, en: string): Localized => ({ zh, en });

function articleZh(article: string): string {
  const match = /^Art\. (\d+)(.*)$/.exec(article);
  return match ? `第${match[1]}条${match[2]}` : article;
}

/** "MIIT Order 35 (2016) Art. 10" / "《电信用户申诉处理办法》第10条", flagged when unconfirmed. */
export function cite(references: readonly LegalReference[]): Localized {
  if (references.length === 0) return both('', '');
  const isArticle = (ref: LegalReference) => ref.article.startsWith('Art.');
  const zh = references.map(
    (ref) =>
      `《${ref.regulation.zh}》${isArticle(ref) ? articleZh(ref.article) : ''}` +
      `${ref.confidence === 'UNCONFIRMED' ? '（未核实）' : ''}`,
  );
  // Without an article number, the regulation's name and its version (which carries the order number).
  const en = references.map((ref) => {
    const where = isArticle(ref)
      ? `${ref.version} ${ref.article}`
      : `${ref.regulation.en} (${ref.version}), ${ref.article}`;
    return `${where}${ref.confidence === 'UNCONFIRMED' ? ' (unconfirmed)' : ''}`;
  });
  return both(zh.join('、'), en.join('; '));
}

/** A full sentence from a clause written without end punctuation, with its citation in brackets. */
export function sentence(text: Localized, references: readonly LegalReference[] = []): Localized {
  // A clause that already ends a sentence (a data text such as a scope note) must not end in ".." or "。。".
  const zh = text.zh.replace(/[。.]+$/u, '');
  const en = text.en.replace(/\.+$/u, '');
  if (references.length === 0) return both(`${zh}。`, `${en}.`);
  const citation = cite(references);
  return both(`${zh}（${citation.zh}）。`, `${en} (${citation.en}).`);
}

export function listItems(items: readonly InformationItem[]): Localized {
  return both(
    items.map((item) => InformationItem[item].zh).join('、'),
    items.map((item) => InformationItem[item].en.toLowerCase()).join(', '),
  );
}

export function listProceedings(proceedings: readonly Proceeding[]): Localized {
  return both(proceedings.map((p) => Proceeding[p].zh).join('、'), proceedings.map((p) => Proceeding[p].en).join(', '));
}

export function dayCount(days: number, kind: DayKind): Localized {
  return both(`${days}个${DayKind[kind].zh}`, `${days} ${DayKind[kind].en}`);
}

export function channelName(channel: Channel): Localized {
  return channel.name;
}

/** The channel's first access points, for "file at …" steps. */
export function accessSummary(channel: Channel): Localized {
  const points = channel.access.slice(0, 2);
  return both(points.map((point) => point.address).join(' / '), points.map((point) => point.address).join(' / '));
}
