/**
 * The guided form: what happened, when, whether the business was asked and what it did, and
 * whether the matter is already before another body. A field the graph rejected (BAD_USER_INPUT)
 * is marked with the reason and receives focus.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FieldProblem } from '../app/errors.ts';
import { type Lang, tr } from '../app/i18n.ts';
import {
  BUSINESS_OUTCOME_LABELS,
  INDUSTRY_LABELS,
  ISSUE_TYPE_LABELS,
  type Label,
  label,
  PROCEEDING_LABELS,
  valuesOf,
} from '../app/vocabulary.ts';
import type { SituationForm } from './situation-params.ts';

interface Props {
  lang: Lang;
  initial: SituationForm;
  problems: FieldProblem[];
  busy: boolean;
  onSubmit(form: SituationForm): void;
}

type TextField = Exclude<keyof SituationForm, 'alreadyBefore'>;

export function SituationFormView({ lang, initial, problems, busy, onSubmit }: Props) {
  const [form, setForm] = useState(initial);
  const [contacted, setContacted] = useState(initial.contactedBusinessOn !== '' || initial.businessOutcome !== '');
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const first = problems[0];
    if (!first) return;
    formRef.current?.querySelector<HTMLElement>(`[name="${first.field}"]`)?.focus();
  }, [problems]);

  const set = (field: TextField) => (event: Event) =>
    setForm({ ...form, [field]: (event.currentTarget as HTMLInputElement).value });
  const problemOf = (field: string) => problems.find((problem) => problem.field === field);

  const fieldProps = (field: TextField) => {
    const problem = problemOf(field);
    return {
      id: `field-${field}`,
      name: field,
      value: form[field],
      onInput: set(field),
      'aria-invalid': problem ? ('true' as const) : undefined,
      'aria-describedby': problem ? `error-${field}` : undefined,
    };
  };
  const fieldError = (field: string) => {
    const problem = problemOf(field);
    return problem ? (
      <p class="field-error" id={`error-${field}`}>
        {problem.message}
      </p>
    ) : null;
  };
  const select = (field: TextField, labels: Record<string, Label>, required: boolean) => (
    <select {...fieldProps(field)} required={required}>
      <option value="">{tr(lang, '请选择', 'Choose…')}</option>
      {valuesOf(labels).map((value) => (
        <option key={value} value={value}>
          {label(labels[value], lang)}
        </option>
      ))}
    </select>
  );

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onSubmit(contacted ? form : { ...form, contactedBusinessOn: '', businessOutcome: '', businessRepliedOn: '' });
  };

  return (
    <form ref={formRef} class="situation-form" onSubmit={submit} noValidate={false}>
      <fieldset>
        <legend>{tr(lang, '1. 发生了什么', '1. What happened')}</legend>
        <label for="field-industry">{tr(lang, '商家所属行业', 'Industry of the business')}</label>
        {select('industry', INDUSTRY_LABELS, true)}
        {fieldError('industry')}
        <label for="field-issueType">{tr(lang, '问题类型', 'What the dispute is about')}</label>
        {select('issueType', ISSUE_TYPE_LABELS, true)}
        {fieldError('issueType')}
        <label for="field-amount">{tr(lang, '涉及金额（元，可不填）', 'Amount in dispute, CNY (optional)')}</label>
        <input {...fieldProps('amount')} type="number" min="0" step="0.01" inputMode="decimal" />
        {fieldError('amount')}
        <label for="field-region">
          {tr(lang, '商家所在地区（省或市，可不填）', 'Where the business is (province or city, optional)')}
        </label>
        <input {...fieldProps('region')} type="text" autoComplete="off" />
        {fieldError('region')}
      </fieldset>

      <fieldset>
        <legend>{tr(lang, '2. 什么时候', '2. When')}</legend>
        <label for="field-occurredOn">
          {tr(lang, '事情发生的日期（购买、扣费、送达）', 'When it happened (purchase, charge, delivery)')}
        </label>
        <input {...fieldProps('occurredOn')} type="date" required />
        {fieldError('occurredOn')}
        <label for="field-knewOn">
          {tr(lang, '得知受损的日期（如晚于上面的日期，可不填）', 'When you learnt of the harm, if later (optional)')}
        </label>
        <input {...fieldProps('knewOn')} type="date" />
        {fieldError('knewOn')}
      </fieldset>

      <fieldset>
        <legend>{tr(lang, '3. 是否已向商家投诉', '3. Did you complain to the business?')}</legend>
        <div class="choices">
          <label class="choice">
            <input type="radio" name="contacted" checked={!contacted} onChange={() => setContacted(false)} />
            {tr(lang, '还没有', 'Not yet')}
          </label>
          <label class="choice">
            <input type="radio" name="contacted" checked={contacted} onChange={() => setContacted(true)} />
            {tr(lang, '已经投诉过商家', 'Yes, I did')}
          </label>
        </div>
        {contacted && (
          <div class="follow-up">
            <label for="field-contactedBusinessOn">{tr(lang, '向商家投诉的日期', 'When you complained to it')}</label>
            <input {...fieldProps('contactedBusinessOn')} type="date" />
            {fieldError('contactedBusinessOn')}
            <label for="field-businessOutcome">{tr(lang, '商家的处理结果', 'What the business did')}</label>
            {select('businessOutcome', BUSINESS_OUTCOME_LABELS, false)}
            {fieldError('businessOutcome')}
            <label for="field-businessRepliedOn">
              {tr(lang, '商家答复的日期（如有）', 'When it replied (if it did)')}
            </label>
            <input {...fieldProps('businessRepliedOn')} type="date" />
            {fieldError('businessRepliedOn')}
          </div>
        )}
      </fieldset>

      <fieldset>
        <legend>{tr(lang, '4. 是否已交由其他机构处理', '4. Is it already before another body?')}</legend>
        <div class="choices">
          {valuesOf(PROCEEDING_LABELS)
            .filter((value) => value !== 'SAME_CHANNEL')
            .map((value) => (
              <label class="choice" key={value}>
                <input
                  type="checkbox"
                  name="alreadyBefore"
                  value={value}
                  checked={form.alreadyBefore.includes(value)}
                  onChange={(event) => {
                    const checked = (event.currentTarget as HTMLInputElement).checked;
                    const others = form.alreadyBefore.filter((item) => item !== value);
                    setForm({ ...form, alreadyBefore: checked ? [...others, value] : others });
                  }}
                />
                {label(PROCEEDING_LABELS[value], lang)}
              </label>
            ))}
        </div>
      </fieldset>

      <details class="advanced" open={form.asOf !== ''}>
        <summary>{tr(lang, '更多选项', 'More options')}</summary>
        <label for="field-asOf">
          {tr(lang, '按哪一天判断（默认今天，中国时间）', 'Judge as of (default: today, China time)')}
        </label>
        <input {...fieldProps('asOf')} type="date" />
        {fieldError('asOf')}
      </details>

      <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
        {busy ? tr(lang, '正在查询…', 'Looking up…') : tr(lang, '查看可以去哪里投诉', 'Show where I can complain')}
      </button>
    </form>
  );
}
