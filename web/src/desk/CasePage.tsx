/**
 * `/desk/cases/:id`: one case, its timeline, the filing's edit history, and the actions the graph
 * says the signed-in user may take now (`allowedActions`, never a list kept in the page): edit,
 * confirm or report unsatisfied, appeal, withdraw for the complainant; reply for the business;
 * accept, reject, forward, close, publish for staff. Each action sends the case's version, so a
 * second click, or a click on a page another user has moved on, changes nothing (CONFLICT), and a
 * field the graph refuses is marked where it was typed.
 */
import { type TypedDocumentNode, useMutation, useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { useRef, useState } from 'preact/hooks';
import { type Lang, tr, useLang } from '../app/i18n.ts';
import { label } from '../app/vocabulary.ts';
import {
  AcceptCaseDocument,
  AppealCaseDocument,
  type CaseAction,
  type CaseDetailFragment,
  CloseCaseDocument,
  ConfirmResolutionDocument,
  DeskCaseDocument,
  ForwardCaseDocument,
  PublishCaseDocument,
  RejectCaseDocument,
  ReportUnsatisfiedDocument,
  RespondToCaseDocument,
  WithdrawCaseDocument,
} from '../gql/graphql.ts';
import { explainDeskError, isConflict, outcomeUnknown, useFocusFirstInvalid } from './desk-errors.ts';
import { CaseHistory, EditCaseForm } from './EditCaseForm.tsx';
import { ACTION_LABELS, EVENT_LABELS, STATUS_LABELS } from './labels.ts';
import { TextField } from './TextField.tsx';
import { useDeskSession } from './use-session.ts';
import './desk.css';

type Input = { id: string; expectedVersion: number; reason?: string; reply?: string; satisfaction?: number };
/** Any of the case mutations: each takes `{ input }` and returns the case under its own field name. */
type ActionDocument = TypedDocumentNode<unknown, never>;

/** What each action needs typed in, and the mutation that takes it (EDIT has its own form). */
const ACTIONS: Partial<
  Record<CaseAction, { document: ActionDocument; text?: 'reason' | 'reply'; satisfaction?: true }>
> = {
  ACCEPT: { document: AcceptCaseDocument },
  FORWARD: { document: ForwardCaseDocument },
  PUBLISH: { document: PublishCaseDocument },
  CONFIRM_RESOLUTION: { document: ConfirmResolutionDocument, satisfaction: true },
  REJECT: { document: RejectCaseDocument, text: 'reason' },
  WITHDRAW: { document: WithdrawCaseDocument, text: 'reason' },
  REPORT_UNSATISFIED: { document: ReportUnsatisfiedDocument, text: 'reason' },
  APPEAL: { document: AppealCaseDocument, text: 'reason' },
  CLOSE: { document: CloseCaseDocument, text: 'reason' },
  RESPOND: { document: RespondToCaseDocument, text: 'reply' },
};

/**
 * One action's form. Done, or refused because it was already done or the case moved on (CONFLICT),
 * the page reloads the case and `onNotice` says why on the page (this form is remounted per version).
 * When the outcome is unknown, the notice says so, and a button reloads the case to see.
 */
function ActionForm(props: {
  action: CaseAction;
  item: CaseDetailFragment;
  lang: Lang;
  onDone(): void;
  onNotice(sentence: string | null): void;
}) {
  const { action, item, lang, onDone, onNotice } = props;
  const spec = ACTIONS[action];
  const [text, setText] = useState('');
  const [satisfaction, setSatisfaction] = useState('');
  // The table's documents differ only in their input type; `Input` carries the fields each needs.
  const document = (spec?.document ?? AcceptCaseDocument) as TypedDocumentNode<unknown, { input: Input }>;
  const [result, run] = useMutation(document);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, result.error);
  if (!spec) return null;
  const name = label(ACTION_LABELS[action], lang);
  const explained = result.error ? explainDeskError(result.error, lang, 'acting') : null;
  const problem = (path: string) => explained?.fields.find((field) => field.path === path);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (result.fetching) return;
    const input: Input = { id: item.id, expectedVersion: item.version };
    if (spec.text) input[spec.text] = text;
    if (spec.satisfaction && satisfaction) input.satisfaction = Number(satisfaction);
    const outcome = await run({ input });
    if (outcome.data || (outcome.error && isConflict(outcome.error))) {
      onNotice(outcome.error ? explainDeskError(outcome.error, lang, 'acting').sentence : null);
      onDone();
    }
  };
  const marked =
    explained?.fields.some((field) => field.path === `input.${spec.text}`) ||
    explained?.fields.some((field) => field.path === 'input.satisfaction');
  return (
    <form class="case-action" ref={form} onSubmit={submit} data-action={action}>
      {spec.text && (
        <TextField
          id={`action-${action}`}
          type="textarea"
          label={
            spec.text === 'reply'
              ? tr(lang, '答复内容', 'Your reply')
              : tr(lang, `${name}的理由`, `Reason to ${name.toLowerCase()}`)
          }
          value={text}
          onValue={setText}
          problem={problem(`input.${spec.text}`)}
        />
      )}
      {spec.satisfaction && (
        <>
          <label for={`action-${action}-satisfaction`}>
            {tr(lang, '满意度（可不选）', 'How satisfied (optional)')}
          </label>
          <select
            id={`action-${action}-satisfaction`}
            value={satisfaction}
            onChange={(event) => setSatisfaction((event.currentTarget as HTMLSelectElement).value)}
            aria-invalid={problem('input.satisfaction') ? 'true' : undefined}
            aria-describedby={problem('input.satisfaction') ? `action-${action}-satisfaction-error` : undefined}
          >
            <option value="">—</option>
            {[5, 4, 3, 2, 1].map((stars) => (
              <option key={stars} value={String(stars)}>
                {'★'.repeat(stars)}
              </option>
            ))}
          </select>
          {problem('input.satisfaction') && (
            <p class="field-error" id={`action-${action}-satisfaction-error`}>
              {problem('input.satisfaction')?.message}
            </p>
          )}
        </>
      )}
      <button type="submit" class="primary" disabled={result.fetching}>
        {name}
      </button>
      {explained && !marked && (
        <p class="error-notice" role="alert">
          {explained.fields[0]?.message ?? explained.sentence}
        </p>
      )}
      {result.error && outcomeUnknown(result.error) && (
        <button type="button" class="secondary" onClick={onDone}>
          {tr(lang, '重新载入这件投诉', 'Reload the case')}
        </button>
      )}
    </form>
  );
}

export function CasePage() {
  const lang = useLang();
  const { params } = useRoute();
  const id = params.id ?? '';
  const { session, restoring } = useDeskSession();
  /** What the last action's outcome means, kept across the reload it causes. */
  const [notice, setNotice] = useState<string | null>(null);
  const [result, refetch] = useQuery({
    query: DeskCaseDocument,
    variables: { id },
    requestPolicy: 'network-only',
    pause: !session,
  });
  if (restoring) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  if (!session) {
    return (
      <p>
        <a href="/desk">{tr(lang, '请先登录投诉受理台。', 'Sign in to the case desk first.')}</a>
      </p>
    );
  }
  if (result.error && !result.data) {
    return <p class="error-notice">{explainDeskError(result.error, lang).sentence}</p>;
  }
  const item = result.data?.case;
  if (!item) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  const actions = item.allowedActions.filter((action) => ACTIONS[action]);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <article class="case-page">
      <p>
        <a href="/desk">{tr(lang, '返回受理台', 'Back to the desk')}</a>
      </p>
      <h1>{item.title}</h1>
      <p class="operator">
        {item.reference} · <span class="case-status">{label(STATUS_LABELS[item.status], lang)}</span>
        {item.overdue && <strong class="overdue-mark"> {tr(lang, '已超期', 'Overdue')}</strong>}
      </p>
      <dl class="facts">
        <dt>{tr(lang, '被投诉商家', 'Business')}</dt>
        <dd>{item.respondentDetails.name}</dd>
        <dt>{tr(lang, '受理期限', 'Accept by')}</dt>
        <dd>{item.deadlines.acceptBy}</dd>
        <dt>{tr(lang, '答复期限', 'Reply by')}</dt>
        <dd>{item.deadlines.respondBy ?? '—'}</dd>
        <dt>{tr(lang, '诉求', 'Demand')}</dt>
        <dd>{item.demands}</dd>
        <dt>{tr(lang, '证据', 'Evidence')}</dt>
        <dd class="evidence">{item.evidence.map((file) => file.name).join(', ') || '—'}</dd>
        <dt>{tr(lang, '企业答复', 'Reply')}</dt>
        <dd class="enterprise-reply">{item.enterpriseReply ?? '—'}</dd>
      </dl>
      {notice && (
        <p class="case-notice" role="status">
          {notice}
        </p>
      )}
      <h2>{tr(lang, '可以进行的操作', 'What you can do now')}</h2>
      {item.allowedActions.includes('EDIT') && (
        <EditCaseForm key={`edit-${item.version}`} item={item} lang={lang} onDone={reload} onNotice={setNotice} />
      )}
      {actions.length === 0 && !item.allowedActions.includes('EDIT') ? (
        <p class="empty">{tr(lang, '现在没有可进行的操作。', 'Nothing to do now.')}</p>
      ) : (
        actions.map((action) => (
          <ActionForm
            key={`${action}-${item.version}`}
            action={action}
            item={item}
            lang={lang}
            onDone={reload}
            onNotice={setNotice}
          />
        ))
      )}
      <h2>{tr(lang, '处理经过', 'Timeline')}</h2>
      <ol class="case-timeline">
        {item.timeline.map((event) => (
          <li key={event.id}>
            <time dateTime={event.at}>{event.at.slice(0, 16).replace('T', ' ')}</time>{' '}
            {label(EVENT_LABELS[event.type], lang)}
            {event.note ? `：${event.note}` : ''}
          </li>
        ))}
      </ol>
      {session.role !== 'enterprise' && <CaseHistory key={`history-${item.version}`} id={item.id} lang={lang} />}
    </article>
  );
}
