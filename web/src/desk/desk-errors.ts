/**
 * The desk's errors in the page's language. The site-wide explanation (app/errors.ts) gives the
 * sentence and the fields; the desk adds what only accounts and cases answer: a wrong password or
 * code, a lock (RATE_LIMITED, with the wait), a case that moved on meanwhile (CONFLICT), and the
 * `expected` texts of the account and case fields in both languages.
 */
import type { CombinedError } from '@urql/core';
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import { type ErrorContext, type ExplainedError, explainError } from '../app/errors.ts';
import { type Lang, tr } from '../app/i18n.ts';

/** What the graph expected (English), said in both languages; null for the site-wide wording. */
function expectedSentence(expected: string, lang: Lang): string | null {
  const say = (zh: string, en: string) => tr(lang, zh, en);
  const length = /of (?:at least|at most) (\d+) characters/.exec(expected);
  if (/password of (\d+) to (\d+) characters/.test(expected)) {
    const [, min, max] = /password of (\d+) to (\d+) characters/.exec(expected) ?? [];
    return say(`密码需要 ${min} 到 ${max} 个字符。`, `Use a password of ${min} to ${max} characters.`);
  }
  if (expected.includes('one character repeated')) {
    return say('密码不能是同一个字符的重复。', 'The password cannot be one character repeated.');
  }
  if (expected.includes('does not contain your phone')) {
    return say('密码不能包含你的手机号或邮箱。', 'The password cannot contain your phone number or e-mail.');
  }
  if (expected.includes('mainland mobile number') && expected.includes('e-mail')) {
    return say('请填写 11 位手机号或电子邮箱。', 'Enter an 11-digit mobile number or an e-mail address.');
  }
  if (expected.includes('digit code')) {
    return say(
      '验证码不正确或已过期（10 分钟内有效，最多试 5 次）。可以重新发送。',
      'The code is wrong or expired (10 minutes, 5 tries). You can have a new one sent.',
    );
  }
  if (expected.includes('your current password')) return say('当前密码不正确。', 'The current password is wrong.');
  if (expected.includes('mainland mobile number')) {
    return say('请填写以 13–19 开头的 11 位手机号。', 'Enter an 11-digit mobile number starting 13–19.');
  }
  if (expected.includes('e-mail address such as')) {
    return say('请填写有效的电子邮箱。', 'Enter a valid e-mail address.');
  }
  if (expected.includes('whole number from 1 to 5')) return say('请选择 1 到 5。', 'Choose 1 to 5.');
  if (expected.includes('amount')) return say('请填写有效金额（元，最多两位小数）。', 'Enter an amount in CNY.');
  if (expected.includes('not in the future')) return say('日期不能晚于今天。', 'The date cannot be in the future.');
  if (expected.includes('at least one field')) {
    return say('没有修改任何内容。', 'Nothing was changed.');
  }
  if (length && expected.includes('at most')) {
    return say(`最多 ${length[1]} 个字符。`, `At most ${length[1]} characters.`);
  }
  if (length) return say(`至少 ${length[1]} 个字符。`, `At least ${length[1]} characters.`);
  if (/^an? (reason|reply|title|description|demands?)/.test(expected) || expected.includes('not blank')) {
    return say('此项不能为空。', 'This cannot be empty.');
  }
  return null;
}

export function explainDeskError(error: CombinedError, lang: Lang, context: ErrorContext = 'reading'): ExplainedError {
  const base = explainError(error, lang, context);
  const fields = base.fields.map((field) => {
    const graphQLError = error.graphQLErrors.find((item) => item.extensions?.argumentPath === field.path);
    const said = expectedSentence(String(graphQLError?.extensions?.expected ?? ''), lang);
    return said ? { ...field, message: said } : field;
  });
  if (fields.length > 0 || base.unavailable.length > 0) return { ...base, fields };
  const extensions = error.graphQLErrors[0]?.extensions ?? {};
  const sentence = ((): string | null => {
    switch (extensions.code) {
      case 'UNAUTHENTICATED':
        return tr(
          lang,
          '手机号、邮箱或密码不正确，或登录已失效。请重新登录；新注册的账户请先输入验证码。',
          'The phone number, e-mail or password is wrong, or the sign-in ended. Sign in again; ' +
            'a new account needs its code first.',
        );
      case 'RATE_LIMITED': {
        const minutes = Math.max(1, Math.ceil(Number(extensions.retryAfterSeconds ?? 60) / 60));
        return tr(
          lang,
          `尝试次数过多，已暂时锁定。请 ${minutes} 分钟后再试。`,
          `Too many attempts: locked for now. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        );
      }
      case 'CONFLICT':
        if (context === 'acting') {
          return tr(
            lang,
            '此操作已经完成，或这件投诉已有新的进展，因此没有再次执行。页面已重新载入，显示最新状态。',
            'Already done, or the case moved on meanwhile, so nothing was done again. ' +
              'The case has been reloaded to show where it stands.',
          );
        }
        return tr(
          lang,
          '这件投诉刚刚有了变化，此操作已不适用。请刷新页面查看最新状态。',
          'This case changed meanwhile, so that step no longer applies. Reload the page to see where it stands.',
        );
      case 'FORBIDDEN':
        return tr(lang, '你的账户不能进行此操作。', 'Your account may not do this.');
      case 'NOT_FOUND':
        return tr(lang, '找不到这件投诉，或你无权查看。', 'This case does not exist, or is not yours to see.');
      default:
        return null;
    }
  })();
  return sentence ? { ...base, sentence } : base;
}

/** A case action refused because the case is no longer at the version it was taken on. */
export function isConflict(error: CombinedError): boolean {
  return error.graphQLErrors.some((item) => item.extensions?.code === 'CONFLICT');
}

/** Whether the outcome of an action is unknown (the answer was lost, or a service did not confirm it). */
export function outcomeUnknown(error: CombinedError): boolean {
  return (
    (Boolean(error.networkError) && error.graphQLErrors.length === 0) ||
    error.graphQLErrors.some((item) => item.extensions?.code === 'SERVICE_UNAVAILABLE')
  );
}

/** When a new error arrives, focus the first field it marks inside `form` (once per error, not per render). */
export function useFocusFirstInvalid(form: RefObject<HTMLElement>, error: CombinedError | null | undefined): void {
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
}
