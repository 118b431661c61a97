/** A list of cases for the desk: status, deadlines and an overdue mark, soonest deadline first. */
import { type Lang, tr } from '../app/i18n.ts';
import { label } from '../app/vocabulary.ts';
import type { CaseSummaryFragment } from '../gql/graphql.ts';
import { STATUS_LABELS } from './labels.ts';

/** The next deadline that matters for a case: the business's reply once forwarded, else acceptance. */
const nextDeadline = (item: CaseSummaryFragment) => item.deadlines.respondBy ?? item.deadlines.acceptBy;

export function CaseList({ cases, lang }: { cases: CaseSummaryFragment[]; lang: Lang }) {
  if (cases.length === 0) return <p class="empty">{tr(lang, '没有案件。', 'No cases.')}</p>;
  const sorted = [...cases].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || nextDeadline(a).localeCompare(nextDeadline(b)),
  );
  return (
    <ul class="case-list">
      {sorted.map((item) => (
        <li key={item.id} class={item.overdue ? 'overdue' : undefined} data-reference={item.reference}>
          <a href={`/desk/cases/${encodeURIComponent(item.id)}`}>
            {item.reference} · {item.title}
          </a>
          <span class="case-status"> · {label(STATUS_LABELS[item.status], lang)}</span>
          <span>
            {' '}
            · {tr(lang, '期限', 'due')} {nextDeadline(item)}
          </span>
          {item.overdue && <strong class="overdue-mark"> {tr(lang, '已超期', 'Overdue')}</strong>}
        </li>
      ))}
    </ul>
  );
}
