/**
 * Signing in and signing up on the desk, with the accounts subgraph: sign-in with a phone number or
 * e-mail and a password (a representative then chooses whom to act for this session); registering,
 * then the six-digit code sent to the contact, which signs the new account in. Each error from the
 * graph is shown on the field its `argumentPath` names, in the page's language.
 */
import type { CombinedError } from '@urql/core';
import { useMutation, useQuery } from '@urql/preact';
import { useRef, useState } from 'preact/hooks';
import { type Lang, tr } from '../app/i18n.ts';
import { EnterpriseNameDocument, RegisterDocument, SendVerificationCodeDocument } from '../gql/graphql.ts';
import { explainDeskError, useFocusFirstInvalid } from './desk-errors.ts';
import { adopt, type DeskSession, signIn, signOut, verifyContact } from './session.ts';
import { TextField } from './TextField.tsx';

function ErrorNotice({ error, lang }: { error: CombinedError | null | undefined; lang: Lang }) {
  if (!error) return null;
  return (
    <p class="error-notice" role="alert">
      {explainDeskError(error, lang).sentence}
    </p>
  );
}

function EnterpriseChoice(props: { id: string; lang: Lang; disabled: boolean; onChoose(id: string): void }) {
  const { id, lang, disabled, onChoose } = props;
  const [result] = useQuery({ query: EnterpriseNameDocument, variables: { id } });
  const name = result.data?.enterprise?.name ?? id;
  return (
    <li>
      <button type="button" class="primary" disabled={disabled} onClick={() => onChoose(id)}>
        {tr(lang, `代表 ${name}`, `For ${name}`)}
      </button>
    </li>
  );
}

/** Whom a representative's session acts for: one of their enterprises, or themselves as a complainant. */
export function ActingChoice(props: {
  lang: Lang;
  enterprises: string[];
  busy: boolean;
  onEnterprise(id: string): void;
  onComplainant(): void;
}) {
  const { lang, enterprises, busy, onEnterprise, onComplainant } = props;
  return (
    <section class="sign-in" aria-labelledby="choose-heading">
      <h2 id="choose-heading">{tr(lang, '本次以什么身份办理？', 'Who do you act for this session?')}</h2>
      <ul class="session-choice">
        {enterprises.map((id) => (
          <EnterpriseChoice key={id} id={id} lang={lang} disabled={busy} onChoose={onEnterprise} />
        ))}
        <li>
          <button type="button" class="secondary" disabled={busy} onClick={onComplainant}>
            {tr(lang, '以投诉人身份', 'As a complainant')}
          </button>
        </li>
      </ul>
    </section>
  );
}

/** `onChoosing` tells the page when the representative's choice replaces the form. */
export function SignInForm({ lang, onChoosing }: { lang: Lang; onChoosing(choosing: boolean): void }) {
  const [contact, setContact] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);
  /** A representative's session, held until they choose whom to act for. */
  const [held, setHeld] = useState<DeskSession | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, error);
  const explained = error ? explainDeskError(error, lang) : null;
  const problem = (path: string) => explained?.fields.find((field) => field.path === path);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const outcome = await signIn(contact.trim(), password, { hold: true });
    setBusy(false);
    if ('error' in outcome) return setError(outcome.error);
    setError(null);
    if (outcome.session.representedEnterprises.length === 0) return adopt(outcome.session);
    setHeld(outcome.session);
    onChoosing(true);
  };

  const actFor = async (enterpriseId: string) => {
    setBusy(true);
    // The held sign-in ends; the enterprise's is a new one (its own refresh cookie).
    await signOut();
    const outcome = await signIn(contact.trim(), password, { enterpriseId });
    setBusy(false);
    if ('error' in outcome) {
      setHeld(null);
      setError(outcome.error);
    }
  };

  if (held) {
    return (
      <ActingChoice
        lang={lang}
        enterprises={held.representedEnterprises}
        busy={busy}
        onEnterprise={actFor}
        onComplainant={() => adopt(held)}
      />
    );
  }
  return (
    <form class="sign-in" ref={form} onSubmit={submit} aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">{tr(lang, '登录', 'Sign in')}</h2>
      <TextField
        id="sign-in-contact"
        label={tr(lang, '手机号或邮箱', 'Phone number or e-mail')}
        value={contact}
        onValue={setContact}
        problem={problem('contact')}
        autoComplete="username"
      />
      <TextField
        id="sign-in-password"
        label={tr(lang, '密码', 'Password')}
        type="password"
        value={password}
        onValue={setPassword}
        problem={problem('password')}
        autoComplete="current-password"
      />
      {explained && explained.fields.length === 0 && <ErrorNotice error={error} lang={lang} />}
      <button type="submit" class="primary" disabled={busy}>
        {tr(lang, '登录', 'Sign in')}
      </button>
    </form>
  );
}

function CodeStep({ contact, lang }: { contact: string; lang: Lang }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);
  const [resent, resend] = useMutation(SendVerificationCodeDocument);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, error);
  const explained = error ? explainDeskError(error, lang) : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const outcome = await verifyContact(contact, code.trim());
    setBusy(false);
    if ('error' in outcome) setError(outcome.error);
  };
  return (
    <form class="sign-in" ref={form} onSubmit={submit} aria-labelledby="code-heading">
      <h2 id="code-heading">{tr(lang, '输入验证码', 'Enter the code')}</h2>
      <p>
        {tr(
          lang,
          `如果 ${contact} 可以注册，我们已向它发送了 6 位验证码，10 分钟内有效。`,
          `If ${contact} can be registered, a six-digit code has been sent to it; it is good for 10 minutes.`,
        )}
      </p>
      <TextField
        id="code"
        label={tr(lang, '验证码', 'Code')}
        value={code}
        onValue={setCode}
        problem={explained?.fields.find((field) => field.path === 'code')}
        autoComplete="one-time-code"
        inputMode="numeric"
      />
      {explained && explained.fields.length === 0 && <ErrorNotice error={error} lang={lang} />}
      <button type="submit" class="primary" disabled={busy}>
        {tr(lang, '确认', 'Confirm')}
      </button>{' '}
      <button type="button" class="secondary" disabled={resent.fetching} onClick={() => resend({ contact })}>
        {tr(lang, '重新发送验证码', 'Send a new code')}
      </button>
      {resent.data && <p role="status">{tr(lang, '已重新发送。', 'A new code is on its way.')}</p>}
      <ErrorNotice error={resent.error} lang={lang} />
    </form>
  );
}

export function RegisterForm({ lang }: { lang: Lang }) {
  const [contact, setContact] = useState('');
  const [password, setPassword] = useState('');
  const [registered, setRegistered] = useState<string | null>(null);
  const [result, register] = useMutation(RegisterDocument);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, result.error);
  const explained = result.error ? explainDeskError(result.error, lang) : null;
  const problem = (path: string) => explained?.fields.find((field) => field.path === path);

  if (registered) return <CodeStep contact={registered} lang={lang} />;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (result.fetching) return;
    const outcome = await register({ input: { contact: contact.trim(), password } });
    if (outcome.data) setRegistered(contact.trim());
  };
  return (
    <form class="sign-in" ref={form} onSubmit={submit} aria-labelledby="register-heading">
      <h2 id="register-heading">{tr(lang, '注册', 'Register')}</h2>
      <TextField
        id="register-contact"
        label={tr(lang, '手机号或邮箱', 'Phone number or e-mail')}
        value={contact}
        onValue={setContact}
        problem={problem('input.contact')}
        autoComplete="username"
      />
      <TextField
        id="register-password"
        label={tr(lang, '设置密码（10 到 128 个字符）', 'Choose a password (10 to 128 characters)')}
        type="password"
        value={password}
        onValue={setPassword}
        problem={problem('input.password')}
        autoComplete="new-password"
      />
      {explained && explained.fields.length === 0 && <ErrorNotice error={result.error} lang={lang} />}
      <button type="submit" class="primary" disabled={result.fetching}>
        {tr(lang, '注册并发送验证码', 'Register and send the code')}
      </button>
    </form>
  );
}
