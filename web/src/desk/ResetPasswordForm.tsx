/**
 * "Forgot password": a code to the phone number or e-mail (the graph answers the same whether or
 * not it has an account), then the code and a new password. Every sign-in of the account ends; the
 * person signs in again with the new password.
 */
import { useMutation } from '@urql/preact';
import { useRef, useState } from 'preact/hooks';
import { type Lang, tr } from '../app/i18n.ts';
import { ResetPasswordDocument, SendResetCodeDocument } from '../gql/graphql.ts';
import { explainDeskError, useFocusFirstInvalid } from './desk-errors.ts';
import { TextField } from './TextField.tsx';

export function ResetPasswordForm({ lang, onDone }: { lang: Lang; onDone(): void }) {
  const [contact, setContact] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [sent, send] = useMutation(SendResetCodeDocument);
  const [reset, resetPassword] = useMutation(ResetPasswordDocument);
  const form = useRef<HTMLFormElement>(null);
  const error = reset.error ?? sent.error;
  useFocusFirstInvalid(form, error);
  const explained = error ? explainDeskError(error, lang) : null;
  const problem = (path: string) => explained?.fields.find((field) => field.path === path);
  const codeSent = Boolean(sent.data);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sent.fetching || reset.fetching) return;
    if (!codeSent) {
      await send({ contact: contact.trim() });
      return;
    }
    const outcome = await resetPassword({ contact: contact.trim(), code: code.trim(), newPassword: password });
    if (outcome.data) onDone();
  };
  return (
    <form class="sign-in" ref={form} onSubmit={submit} aria-labelledby="reset-heading">
      <h2 id="reset-heading">{tr(lang, '重设密码', 'Reset your password')}</h2>
      <TextField
        id="reset-contact"
        label={tr(lang, '手机号或邮箱', 'Phone number or e-mail')}
        value={contact}
        onValue={setContact}
        problem={problem('contact')}
        autoComplete="username"
      />
      {codeSent && (
        <>
          <p role="status">
            {tr(
              lang,
              '如果该手机号或邮箱已注册，验证码已发送，10 分钟内有效。',
              'If this number or address has an account, a code has been sent; it is good for 10 minutes.',
            )}
          </p>
          <TextField
            id="reset-code"
            label={tr(lang, '验证码', 'Code')}
            value={code}
            onValue={setCode}
            problem={problem('code')}
            autoComplete="one-time-code"
            inputMode="numeric"
          />
          <TextField
            id="reset-password"
            label={tr(lang, '新密码（10 到 128 个字符）', 'New password (10 to 128 characters)')}
            type="password"
            value={password}
            onValue={setPassword}
            problem={problem('newPassword')}
            autoComplete="new-password"
          />
        </>
      )}
      {explained && explained.fields.length === 0 && (
        <p class="error-notice" role="alert">
          {explained.sentence}
        </p>
      )}
      <button type="submit" class="primary" disabled={sent.fetching || reset.fetching}>
        {codeSent ? tr(lang, '设置新密码', 'Set the new password') : tr(lang, '发送验证码', 'Send a code')}
      </button>
    </form>
  );
}
