/**
 * `/desk`: the case desk. Until the accounts issue lands, a development sign-in takes a token
 * from `npm run token`. A complainant files a case and sees their cases; staff see the queue,
 * soonest deadline first with overdue cases marked; an enterprise representative sees the cases
 * forwarded to their enterprise.
 */
import { type CombinedError, useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
import { type Lang, tr, useLang } from '../app/i18n.ts';
import {
  type CaseSummaryFragment,
  CasesForEnterpriseDocument,
  CasesQueueDocument,
  MyCasesDocument,
} from '../gql/graphql.ts';
import { CaseList } from './CaseList.tsx';
import { FileCaseForm } from './FileCaseForm.tsx';
import { currentSession, type DeskSession, sessionFor, signIn, signOut } from './session.ts';

function SignIn({ lang, onSignedIn }: { lang: Lang; onSignedIn(session: DeskSession): void }) {
  const [token, setToken] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const session = sessionFor(token);
    setInvalid(!session);
    if (session) onSignedIn(session);
  };
  return (
    <form class="sign-in" onSubmit={submit}>
      <h2>{tr(lang, '开发用登录', 'Development sign-in')}</h2>
      <p>
        {tr(
          lang,
          '粘贴 npm run token 生成的令牌。令牌只保存在本标签页的会话中。',
          'Paste a token from npm run token. It is kept for this tab’s session only.',
        )}
      </p>
      <label for="desk-token">{tr(lang, '令牌', 'Token')}</label>
      <textarea
        id="desk-token"
        rows={3}
        value={token}
        autoComplete="off"
        spellcheck={false}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? 'desk-token-error' : undefined}
        onInput={(event) => setToken((event.currentTarget as HTMLTextAreaElement).value)}
      />
      {invalid && (
        <p class="field-error" id="desk-token-error">
          {tr(lang, '这不是投诉人、工作人员或企业的令牌。', 'This is not a complainant, staff or enterprise token.')}
        </p>
      )}
      <button type="submit" class="primary">
        {tr(lang, '登录', 'Sign in')}
      </button>
    </form>
  );
}

function Loaded(props: { lang: Lang; error?: CombinedError; cases?: CaseSummaryFragment[] }) {
  const { lang, error, cases } = props;
  if (error) return <p class="error-notice">{explainError(error, lang).sentence}</p>;
  if (!cases) return <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>;
  return <CaseList cases={cases} lang={lang} />;
}

function MyCases({ lang }: { lang: Lang }) {
  const [result] = useQuery({ query: MyCasesDocument, requestPolicy: 'network-only' });
  return <Loaded lang={lang} error={result.error} cases={result.data?.myCases.edges.map((edge) => edge.node)} />;
}

function StaffQueue({ lang }: { lang: Lang }) {
  const [result] = useQuery({ query: CasesQueueDocument, requestPolicy: 'network-only' });
  return <Loaded lang={lang} error={result.error} cases={result.data?.casesQueue.edges.map((edge) => edge.node)} />;
}

function EnterpriseCases({ lang }: { lang: Lang }) {
  const [result] = useQuery({ query: CasesForEnterpriseDocument, requestPolicy: 'network-only' });
  const cases = result.data?.casesForEnterprise.edges.map((edge) => edge.node);
  return <Loaded lang={lang} error={result.error} cases={cases} />;
}

export function DeskPage() {
  const lang = useLang();
  const location = useLocation();
  const [session, setSession] = useState(currentSession);
  if (!session) {
    return (
      <div class="desk-page">
        <h1>{tr(lang, '投诉受理台', 'Case desk')}</h1>
        <SignIn
          lang={lang}
          onSignedIn={(next) => {
            signIn(next);
            setSession(next);
          }}
        />
      </div>
    );
  }
  const heading = {
    complainant: tr(lang, '我的投诉', 'My complaints'),
    staff: tr(lang, '待办队列', 'Queue'),
    enterprise: tr(lang, '转给本企业的投诉', 'Complaints forwarded to your business'),
  }[session.role];
  return (
    <div class="desk-page">
      <h1>{tr(lang, '投诉受理台', 'Case desk')}</h1>
      <p>
        {tr(lang, `已登录：${session.subject}`, `Signed in as ${session.subject}`)}{' '}
        <button
          type="button"
          class="link-button"
          onClick={() => {
            signOut();
            setSession(null);
          }}
        >
          {tr(lang, '退出', 'Sign out')}
        </button>
      </p>
      {session.role === 'complainant' && (
        <FileCaseForm lang={lang} onFiled={(id) => location.route(`/desk/cases/${encodeURIComponent(id)}`)} />
      )}
      <h2>{heading}</h2>
      {session.role === 'complainant' && <MyCases lang={lang} />}
      {session.role === 'staff' && <StaffQueue lang={lang} />}
      {session.role === 'enterprise' && <EnterpriseCases lang={lang} />}
    </div>
  );
}
