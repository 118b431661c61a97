/**
 * What an error from the graph means to a person, in the page's language: one sentence saying what
 * happened and what to do, plus, for BAD_USER_INPUT, the message to show on the field named by
 * `argumentPath`.
 */
import type { CombinedError } from '@urql/core';
import { type Lang, tr } from './i18n.ts';

export interface FieldProblem {
  /** The input field as the graph names it, e.g. `occurredOn` for `situation.occurredOn`. */
  field: string;
  /** The whole `argumentPath`, e.g. `input.complainant.name`. */
  path: string;
  message: string;
}

export interface ExplainedError {
  sentence: string;
  fields: FieldProblem[];
  /** Services that did not answer (SERVICE_UNAVAILABLE): the rest of the page is still shown. */
  unavailable: string[];
}

const SERVICE_NAMES: Record<string, [string, string]> = {
  directory: ['投诉渠道目录', 'the channel directory'],
  cases: ['投诉受理', 'the case desk'],
  reputation: ['企业口碑', 'the reputation figures'],
};

function serviceName(service: string, lang: Lang): string {
  const names = SERVICE_NAMES[service];
  return names ? tr(lang, names[0], names[1]) : service;
}

/** The server's `expected` is English; the Chinese page says the same in Chinese for the known shapes. */
function fieldMessage(expected: string, lang: Lang): string {
  const notAfter = /on or before asOf \((\d{4}-\d{2}-\d{2})\)/.exec(expected);
  if (notAfter) return tr(lang, `不能晚于判断日期 ${notAfter[1]}。`, `Must be on or before ${notAfter[1]}.`);
  const notBefore = /on or after (\w+) \((\d{4}-\d{2}-\d{2})\)/.exec(expected);
  if (notBefore) return tr(lang, `不能早于 ${notBefore[2]}。`, `Must be on or after ${notBefore[2]}.`);
  if (expected.includes('YYYY-MM-DD')) return tr(lang, '请填写有效日期。', 'Enter a valid date.');
  if (expected.includes('holiday calendar')) {
    return tr(lang, '该日期所在年份的节假日安排尚未收录。', 'The holiday calendar does not cover that year yet.');
  }
  if (expected.includes('NO_REPLY')) {
    return tr(lang, '已填写答复日期，请选择商家的处理结果。', 'A reply date is given: choose what the business did.');
  }
  if (expected.includes('reply date')) {
    return tr(lang, '已填写答复日期，请同时填写联系商家的日期。', 'A reply date is given: add when you contacted it.');
  }
  return tr(lang, `此项填写有误（应为：${expected}）。`, `Expected ${expected}.`);
}

/**
 * What the request was: reading (the default), filing a complaint, or acting on a case (accept,
 * forward, reply, confirm, appeal, withdraw, edit…). The outcome of a filing or an action is unknown
 * when the connection or a service failed on the way (the gateway says so too,
 * gateway/plugins/subgraph-failure.ts). "Try again later" would invite a second filing; the form
 * sends one idempotency key per complaint, and an action carries the case's `expectedVersion`, so a
 * repeat of one that took effect is refused (CONFLICT), never applied twice: the sentence can say
 * that repeating is safe.
 */
export type ErrorContext = 'reading' | 'filing' | 'acting';

function actionOutcomeUnknown(lang: Lang, what: string): string {
  return tr(
    lang,
    `${what}，此操作可能已经生效，也可能没有。请重新载入这件投诉查看是否已生效；` +
      '也可以直接再做一次：每次操作都带着投诉的版本号，已生效的操作不会重复执行，只会提示“已完成”。',
    `${what}: this step may or may not have taken effect. Reload the case to see whether it did; ` +
      'doing it again is also safe: each step carries the version of the case it was taken on, ' +
      'so one that already took effect is refused as already done, never applied twice.',
  );
}

function filingOutcomeUnknown(lang: Lang, what: string): string {
  return tr(
    lang,
    `${what}，投诉可能已经提交，也可能没有。请先到“我的投诉”查看是否已有这件投诉；` +
      '也可以直接再次提交：同一份投诉每次提交都带着同一个编号，不会重复立案。已填写的内容不会丢失。',
    `${what}: your complaint may or may not have been filed. Look at My complaints before submitting again; ` +
      'submitting this form again is also safe: it carries the same key each time, so it is never filed twice. ' +
      'Nothing you entered is lost.',
  );
}

export function explainError(error: CombinedError, lang: Lang, context: ErrorContext = 'reading'): ExplainedError {
  if (error.networkError && error.graphQLErrors.length === 0) {
    if (context === 'filing') {
      const what = tr(lang, '连接中断，没有收到服务器的答复', 'The connection was lost before the server answered');
      return { sentence: filingOutcomeUnknown(lang, what), fields: [], unavailable: [] };
    }
    if (context === 'acting') {
      const what = tr(lang, '连接中断，没有收到服务器的答复', 'The connection was lost before the server answered');
      return { sentence: actionOutcomeUnknown(lang, what), fields: [], unavailable: [] };
    }
    return {
      sentence: tr(
        lang,
        '无法连接到服务器。请检查网络连接后重试，已填写的内容不会丢失。',
        'Could not reach the server. Check your connection and try again; nothing you entered is lost.',
      ),
      fields: [],
      unavailable: [],
    };
  }
  const fields: FieldProblem[] = [];
  const unavailable: string[] = [];
  let other = false;
  for (const graphQLError of error.graphQLErrors) {
    const extensions = graphQLError.extensions ?? {};
    const code = extensions.code;
    if (code === 'BAD_USER_INPUT' && typeof extensions.argumentPath === 'string') {
      const field = extensions.argumentPath.split('.').pop() ?? extensions.argumentPath;
      fields.push({
        field,
        path: extensions.argumentPath,
        message: fieldMessage(String(extensions.expected ?? ''), lang),
      });
    } else if (code === 'SERVICE_UNAVAILABLE' && typeof extensions.service === 'string') {
      if (!unavailable.includes(extensions.service)) unavailable.push(extensions.service);
    } else {
      other = true;
    }
  }
  let sentence: string;
  if (fields.length > 0) {
    sentence = tr(
      lang,
      '有一项填写不正确，请修改下面标出的字段后再提交。',
      'Correct the field marked below, then submit again.',
    );
  } else if (unavailable.length > 0 && context === 'filing') {
    const names = unavailable.map((service) => serviceName(service, lang)).join(tr(lang, '、', ', '));
    sentence = filingOutcomeUnknown(lang, tr(lang, `${names}没有确认这次提交`, `${names} did not confirm this filing`));
  } else if (unavailable.length > 0 && context === 'acting') {
    const names = unavailable.map((service) => serviceName(service, lang)).join(tr(lang, '、', ', '));
    sentence = actionOutcomeUnknown(lang, tr(lang, `${names}没有确认此操作`, `${names} did not confirm this step`));
  } else if (unavailable.length > 0) {
    const names = unavailable.map((service) => serviceName(service, lang)).join(tr(lang, '、', ', '));
    sentence = tr(
      lang,
      `${names}暂时无法访问，页面的其余部分照常显示。请稍后再试。`,
      `${names} is unavailable right now; the rest of the page is shown. Try again later.`,
    );
  } else {
    sentence = other
      ? tr(lang, '出现了意外错误，请稍后再试。', 'Something went wrong on our side. Try again later.')
      : tr(lang, '请求失败，请稍后再试。', 'The request failed. Try again later.');
  }
  return { sentence, fields, unavailable };
}
