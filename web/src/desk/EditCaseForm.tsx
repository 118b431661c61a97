/**
 * Editing a filing (offered when the graph lists EDIT among the case's allowed actions) and the
 * filing's history: every version as the fields it changed, before and after (`Case.revisions`).
 * Only changed fields are sent, with the version the page shows; the graph's complaint about a
 * field is shown on that field.
 */
import { useMutation, useQuery } from '@urql/preact';
import { useRef, useState } from 'preact/hooks';
import { type Lang, tr } from '../app/i18n.ts';
import {
  type CaseDetailFragment,
  CaseRevisionsDocument,
  EditCaseDocument,
  type EditCaseInput,
} from '../gql/graphql.ts';
import { explainDeskError, isConflict, outcomeUnknown, useFocusFirstInvalid } from './desk-errors.ts';
import { TextField } from './TextField.tsx';

type Editable = 'title' | 'description' | 'demands' | 'amount' | 'occurredOn' | 'respondent';

/** The form's fields: label, input type, the input path the graph names, and the case's value now. */
const FIELDS: Record<
  Editable,
  {
    zh: string;
    en: string;
    type: 'text' | 'textarea' | 'number' | 'date';
    path: string;
    of(c: CaseDetailFragment): string;
  }
> = {
  title: { zh: '标题', en: 'Title', type: 'text', path: 'input.title', of: (c) => c.title },
  description: {
    zh: '事情经过',
    en: 'What happened',
    type: 'textarea',
    path: 'input.description',
    of: (c) => c.description,
  },
  demands: { zh: '你的诉求', en: 'What you ask for', type: 'text', path: 'input.demands', of: (c) => c.demands },
  amount: { zh: '金额（元）', en: 'Amount (CNY)', type: 'number', path: 'input.amount', of: (c) => String(c.amount) },
  occurredOn: {
    zh: '发生日期',
    en: 'When it happened',
    type: 'date',
    path: 'input.occurredOn',
    of: (c) => c.occurredOn,
  },
  respondent: {
    zh: '被投诉的商家',
    en: 'The business',
    type: 'text',
    path: 'input.respondent.name',
    of: (c) => c.respondentDetails.name,
  },
};
const EDITABLE = Object.keys(FIELDS) as Editable[];

function inputOf(item: CaseDetailFragment, values: Record<Editable, string>): EditCaseInput {
  const input: EditCaseInput = { id: item.id, expectedVersion: item.version };
  for (const field of EDITABLE) {
    const value = values[field];
    if (value === FIELDS[field].of(item)) continue;
    if (field === 'amount') input.amount = Number(value);
    else if (field === 'respondent') input.respondent = { name: value };
    else input[field] = value;
  }
  return input;
}

/** `onNotice` puts a sentence on the case page that outlives this form (remounted on each new version). */
export function EditCaseForm(props: {
  item: CaseDetailFragment;
  lang: Lang;
  onDone(): void;
  onNotice(sentence: string | null): void;
}) {
  const { item, lang, onDone, onNotice } = props;
  const [values, setValues] = useState(
    () => Object.fromEntries(EDITABLE.map((field) => [field, FIELDS[field].of(item)])) as Record<Editable, string>,
  );
  const [result, edit] = useMutation(EditCaseDocument);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, result.error);
  const explained = result.error ? explainDeskError(result.error, lang, 'acting') : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (result.fetching) return;
    const outcome = await edit({ input: inputOf(item, values) });
    if (outcome.data || (outcome.error && isConflict(outcome.error))) {
      onNotice(outcome.error ? explainDeskError(outcome.error, lang, 'acting').sentence : null);
      onDone();
    }
  };
  return (
    <details class="edit-case">
      <summary>{tr(lang, '修改投诉内容', 'Edit the complaint')}</summary>
      <form ref={form} onSubmit={submit}>
        {EDITABLE.map((field) => (
          <TextField
            key={field}
            id={`edit-${field}`}
            label={tr(lang, FIELDS[field].zh, FIELDS[field].en)}
            type={FIELDS[field].type}
            value={values[field]}
            onValue={(value) => setValues({ ...values, [field]: value })}
            problem={explained?.fields.find((problem) => problem.path === FIELDS[field].path)}
          />
        ))}
        {explained && (
          <p class="error-notice" role="alert">
            {explained.fields.some((problem) => EDITABLE.some((field) => FIELDS[field].path === problem.path))
              ? explained.sentence
              : (explained.fields[0]?.message ?? explained.sentence)}
          </p>
        )}
        {result.error && outcomeUnknown(result.error) && (
          <button type="button" class="secondary" onClick={onDone}>
            {tr(lang, '重新载入这件投诉', 'Reload the case')}
          </button>
        )}
        <button type="submit" class="primary" disabled={result.fetching}>
          {tr(lang, '保存修改', 'Save the changes')}
        </button>
      </form>
    </details>
  );
}

/** The filing's versions, newest first, each as what changed (remounted by the page when the case changes). */
export function CaseHistory({ id, lang }: { id: string; lang: Lang }) {
  const [result] = useQuery({ query: CaseRevisionsDocument, variables: { id }, requestPolicy: 'network-only' });
  const revisions = result.data?.case?.revisions;
  // Representatives are not shown a filing's history (null).
  if (result.data?.case && revisions === null) return null;
  if (result.error && !revisions) return <p class="error-notice">{explainDeskError(result.error, lang).sentence}</p>;
  if (!revisions) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{tr(lang, '修改记录', 'Edit history')}</h2>
      <ol class="case-history" reversed>
        {revisions
          .map((revision, index) => ({ revision, filed: index === 0 }))
          .reverse()
          .map(({ revision, filed }) => (
            <li key={revision.version}>
              <time dateTime={revision.at}>{revision.at.slice(0, 16).replace('T', ' ')}</time>{' '}
              {filed ? tr(lang, '提交', 'Filed') : tr(lang, '修改', 'Edited')}
              {!filed && (
                <ul>
                  {revision.changes.map((change) => (
                    <li key={change.field}>
                      <code>{change.field}</code>: <del>{change.before ?? '—'}</del> → <ins>{change.after ?? '—'}</ins>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
      </ol>
    </section>
  );
}
