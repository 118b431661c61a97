/**
 * `/desk/cases/:id`: one case, its timeline, and the actions the graph says the signed-in user may
 * take now (`allowedActions`, never a list kept in the page). Each action sends the case's version,
 * so a second click, or a click on a page another user has moved on, changes nothing (CONFLICT).
 */
import { type TypedDocumentNode, useMutation, useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
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
import { ACTION_LABELS, EVENT_LABELS, STATUS_LABELS } from './labels.ts';
import { currentSession } from './session.ts';

type Input = { id: string; expectedVersion: number; reason?: string; reply?: string };
/** Any of the case mutations: each takes `{ input }` and returns the case under its own field name. */
type ActionDocument = TypedDocumentNode<unknown, never>;

/** What each action needs typed in, and the mutation that takes it. */
const ACTIONS: Partial<Record<CaseAction, { document: ActionDocument; text?: 'reason' | 'reply' }>> = {
  ACCEPT: { document: AcceptCaseDocument },
  FORWARD: { document: ForwardCaseDocument },
  PUBLISH: { document: PublishCaseDocument },
  CONFIRM_RESOLUTION: { document: ConfirmResolutionDocument },
  REJECT: { document: RejectCaseDocument, text: 'reason' },
  WITHDRAW: { document: WithdrawCaseDocument, text: 'reason' },
  REPORT_UNSATISFIED: { document: ReportUnsatisfiedDocument, text: 'reason' },
  APPEAL: { document: AppealCaseDocument, text: 'reason' },
  CLOSE: { document: CloseCaseDocument, text: 'reason' },
  RESPOND: { document: RespondToCaseDocument, text: 'reply' },
};

function ActionForm(props: { action: CaseAction; item: CaseDetailFragment; lang: Lang; onDone(): void }) {
  const { action, item, lang, onDone } = props;
  const spec = ACTIONS[action];
  const [text, setText] = useState('');
  // The table's documents differ only in their input type; `Input` carries the fields each needs.
  const document = (spec?.document ?? AcceptCaseDocument) as TypedDocumentNode<unknown, { input: Input }>;
  const [result, run] = useMutation(document);
  if (!spec) return null;
  const name = label(ACTION_LABELS[action], lang);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (result.fetching) return;
    const input: Input = { id: item.id, expectedVersion: item.version };
    if (spec.text) input[spec.text] = text;
    const outcome = await run({ input });
    if (outcome.data) onDone();
  };
  return (
    <form class="case-action" onSubmit={submit} data-action={action}>
      {spec.text && (
        <>
          <label for={`action-${action}`}>
            {spec.text === 'reply'
              ? tr(lang, '答复内容', 'Your reply')
              : tr(lang, `${name}的理由`, `Reason to ${name.toLowerCase()}`)}
          </label>
          <textarea
            id={`action-${action}`}
            rows={2}
            required
            value={text}
            onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
          />
        </>
      )}
      <button type="submit" class="primary" disabled={result.fetching}>
        {name}
      </button>
      {result.error && <p class="error-notice">{explainError(result.error, lang).sentence}</p>}
    </form>
  );
}

export function CasePage() {
  const lang = useLang();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [result, refetch] = useQuery({ query: DeskCaseDocument, variables: { id }, requestPolicy: 'network-only' });
  if (!currentSession()) {
    return (
      <p>
        <a href="/desk">{tr(lang, '请先登录投诉受理台。', 'Sign in to the case desk first.')}</a>
      </p>
    );
  }
  if (result.error && !result.data) return <p class="error-notice">{explainError(result.error, lang).sentence}</p>;
  const item = result.data?.case;
  if (!item) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  const actions = item.allowedActions.filter((action) => ACTIONS[action]);
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
      <h2>{tr(lang, '可以进行的操作', 'What you can do now')}</h2>
      {actions.length === 0 ? (
        <p class="empty">{tr(lang, '现在没有可进行的操作。', 'Nothing to do now.')}</p>
      ) : (
        actions.map((action) => (
          <ActionForm
            key={`${action}-${item.version}`}
            action={action}
            item={item}
            lang={lang}
            onDone={() => refetch({ requestPolicy: 'network-only' })}
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
    </article>
  );
}
