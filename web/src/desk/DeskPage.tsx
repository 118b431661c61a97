/**
 * `/desk`: the case desk, behind a real sign-in (AccountForms.tsx, session.ts). A complainant files
 * a case and sees their cases; staff see the queue, soonest deadline first with overdue cases
 * marked; an enterprise representative sees the cases against the enterprise they act for.
 */
import { type CombinedError, useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { type Lang, tr, useLang } from '../app/i18n.ts';
import {
  type CaseSummaryFragment,
  CasesForEnterpriseDocument,
  CasesQueueDocument,
  MyCasesDocument,
} from '../gql/graphql.ts';
import { ActingChoice, RegisterForm, SignInForm } from './AccountForms.tsx';
import { CaseList } from './CaseList.tsx';
import { explainDeskError } from './desk-errors.ts';
import { FileCaseForm } from './FileCaseForm.tsx';
import { ResetPasswordForm } from './ResetPasswordForm.tsx';
import { adopt, type DeskSession, needsActingChoice, signOut, switchActingFor } from './session.ts';
import { useDeskSession } from './use-session.ts';
import './desk.css';

function Loaded(props: { lang: Lang; error?: CombinedError; cases?: CaseSummaryFragment[] }) {
  const { lang, error, cases } = props;
  if (error) return <p class="error-notice">{explainDeskError(error, lang).sentence}</p>;
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

function SignedOut({ lang }: { lang: Lang }) {
  const [mode, setMode] = useState<'sign-in' | 'register' | 'reset'>('sign-in');
  const [choosing, setChoosing] = useState(false);
  const [passwordChanged, setPasswordChanged] = useState(false);
  const link = (to: typeof mode, text: string) => (
    <button
      type="button"
      class="link-button"
      onClick={() => {
        setPasswordChanged(false);
        setMode(to);
      }}
    >
      {text}
    </button>
  );
  return (
    <>
      {passwordChanged && (
        <p role="status" class="sign-in-notice">
          {tr(
            lang,
            '密码已修改，所有登录已退出。请用新密码登录。',
            'Password changed and every sign-in ended: sign in with it.',
          )}
        </p>
      )}
      {mode === 'sign-in' && <SignInForm lang={lang} onChoosing={setChoosing} />}
      {mode === 'register' && <RegisterForm lang={lang} />}
      {mode === 'reset' && (
        <ResetPasswordForm
          lang={lang}
          onDone={() => {
            setPasswordChanged(true);
            setMode('sign-in');
          }}
        />
      )}
      <p hidden={choosing}>
        {mode !== 'register' &&
          link('register', tr(lang, '还没有账户？用手机号或邮箱注册', 'No account yet? Register'))}
        {mode !== 'sign-in' && link('sign-in', tr(lang, '已有账户？登录', 'Have an account? Sign in'))}
        {mode === 'sign-in' && link('reset', tr(lang, '忘记密码？', 'Forgot your password?'))}
      </p>
    </>
  );
}

/**
 * A representative's choice within the sign-in: asked again when they come back to a sign-in they
 * left before choosing, and whenever they switch from the header. No password is asked again: the
 * sign-in's refresh cookie is renewed acting for the choice (session.ts, switchActingFor).
 */
function ChooseAgain({ lang, session, onDone }: { lang: Lang; session: DeskSession; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const choose = async (enterpriseId: string | null) => {
    setBusy(true);
    const outcome = await switchActingFor(enterpriseId);
    setBusy(false);
    if ('error' in outcome) return setError(outcome.error);
    onDone();
  };
  return (
    <>
      <ActingChoice
        lang={lang}
        enterprises={session.representedEnterprises}
        busy={busy}
        onEnterprise={(id) => void choose(id)}
        onComplainant={() => {
          if (session.enterpriseId) return void choose(null);
          adopt(session);
          onDone();
        }}
      />
      {error && (
        <p class="error-notice" role="alert">
          {explainDeskError(error, lang).sentence}
        </p>
      )}
    </>
  );
}

export function DeskPage() {
  const lang = useLang();
  const location = useLocation();
  const { session, restoring } = useDeskSession();
  const [switching, setSwitching] = useState(false);
  if (restoring) {
    return (
      <div class="desk-page">
        <h1>{tr(lang, '投诉受理台', 'Case desk')}</h1>
        <p class="loading">{tr(lang, '正在加载…', 'Loading…')}</p>
      </div>
    );
  }
  if (!session) {
    return (
      <div class="desk-page">
        <h1>{tr(lang, '投诉受理台', 'Case desk')}</h1>
        <SignedOut lang={lang} />
      </div>
    );
  }
  if (switching || needsActingChoice(session)) {
    return (
      <div class="desk-page">
        <h1>{tr(lang, '投诉受理台', 'Case desk')}</h1>
        <ChooseAgain lang={lang} session={session} onDone={() => setSwitching(false)} />
      </div>
    );
  }
  const heading = {
    complainant: tr(lang, '我的投诉', 'My complaints'),
    staff: tr(lang, '待办队列', 'Queue'),
    enterprise: tr(lang, '针对本企业的投诉', 'Complaints against your business'),
    admin: tr(lang, '管理员账户不办理投诉', 'Administrator accounts do not handle cases'),
  }[session.role];
  return (
    <div class="desk-page">
      <h1>{tr(lang, '投诉受理台', 'Case desk')}</h1>
      <p class="signed-in">
        {tr(lang, `已登录：${session.contact}`, `Signed in as ${session.contact}`)}{' '}
        <button type="button" class="link-button" onClick={() => void signOut()}>
          {tr(lang, '退出', 'Sign out')}
        </button>
        {session.representedEnterprises.length > 0 && (
          <>
            {' '}
            <button type="button" class="link-button" onClick={() => setSwitching(true)}>
              {tr(lang, '切换办理身份', 'Switch whom you act for')}
            </button>
          </>
        )}
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
