/**
 * Filing a case: the complaint and the business, with evidence uploaded first (a progress bar per
 * file). Submitting is guarded against a double click and a retry after a lost connection keeps
 * every field and the uploaded evidence, so nothing is filed twice and nothing is lost: every
 * attempt at the same complaint carries the same `idempotencyKey`, which the graph files once.
 */
import { useClient, useMutation } from '@urql/preact';
import { useRef, useState } from 'preact/hooks';
import { explainDeskError, useFocusFirstInvalid } from './desk-errors.ts';
import { type Lang, tr } from '../app/i18n.ts';
import { INDUSTRY_LABELS, ISSUE_TYPE_LABELS, label, valuesOf } from '../app/vocabulary.ts';
import { type Industry, type IssueType, MyCasesDocument, SubmitCaseDocument } from '../gql/graphql.ts';
import { uploadEvidence } from './evidence-upload.ts';

interface Upload {
  name: string;
  progress: number;
  id?: string;
  failed?: string;
}

/** Each field of the form and the input path the graph names when it rejects it. */
const PATHS = {
  name: 'input.complainant.name',
  phone: 'input.complainant.phone',
  email: 'input.complainant.email',
  respondent: 'input.respondent.name',
  respondentWhere: 'input.respondent',
  industry: 'input.industry',
  issueType: 'input.issueType',
  title: 'input.title',
  description: 'input.description',
  demands: 'input.demands',
  amount: 'input.amount',
  occurredOn: 'input.occurredOn',
} as const;
type Field = keyof typeof PATHS;

/** A new key for a new complaint: a UUID (crypto.randomUUID needs a secure context, hence the fallback). */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function FileCaseForm({ lang, onFiled }: { lang: Lang; onFiled(id: string): void }) {
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    phone: '',
    email: '',
    respondent: '',
    respondentWhere: '',
    title: '',
    description: '',
    demands: '',
    amount: '',
    occurredOn: '',
    industry: '',
    issueType: '',
  });
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [result, submitCase] = useMutation(SubmitCaseDocument);
  const client = useClient();
  const inFlight = useRef(false);
  /** The key of the complaint last sent and its input: sent again unchanged, it is the same complaint. */
  const lastSent = useRef<{ key: string; input: string } | undefined>(undefined);
  const explained = result.error ? explainDeskError(result.error, lang, 'filing') : null;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, result.error);
  const problem = (field: Field) => explained?.fields.find((item) => item.path === PATHS[field]);

  const set = (field: Field) => (event: Event) =>
    setValues({ ...values, [field]: (event.currentTarget as HTMLInputElement).value });

  const addFiles = async (event: Event) => {
    const files = [...((event.currentTarget as HTMLInputElement).files ?? [])];
    for (const file of files) {
      const index = uploads.length + files.indexOf(file);
      const update = (change: Partial<Upload>) =>
        setUploads((current) => current.map((upload, at) => (at === index ? { ...upload, ...change } : upload)));
      setUploads((current) => [...current, { name: file.name, progress: 0 }]);
      uploadEvidence(file, (progress) => update({ progress }))
        .then((id) => update({ id, progress: 1 }))
        .catch((error: Error) => update({ failed: error.message }));
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const input = {
        complainant: {
          name: values.name,
          phone: values.phone.trim() || undefined,
          email: values.email.trim() || undefined,
        },
        respondent: {
          name: values.respondent,
          ...(/^https?:\/\//.test(values.respondentWhere.trim())
            ? { storeUrl: values.respondentWhere.trim() }
            : { address: values.respondentWhere.trim() }),
        },
        industry: values.industry as Industry,
        issueType: values.issueType as IssueType,
        title: values.title,
        description: values.description,
        demands: values.demands,
        amount: Number(values.amount),
        occurredOn: values.occurredOn,
        evidenceIds: uploads.flatMap((upload) => (upload.id ? [upload.id] : [])),
      };
      // A retry of the same input is the same complaint (same key); an edited form is a new one.
      const sent = JSON.stringify(input);
      if (lastSent.current?.input !== sent) lastSent.current = { key: newIdempotencyKey(), input: sent };
      const outcome = await submitCase({ input: { ...input, idempotencyKey: lastSent.current.key } });
      if (outcome.data) onFiled(outcome.data.submitCase.id);
      // The error notice says to look at My complaints: the list (the same query, shown below the
      // form) is asked again, so a complaint filed before its answer was lost shows up there.
      else if (outcome.error) void client.query(MyCasesDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    } finally {
      inFlight.current = false;
    }
  };

  const field = (
    name: Field,
    text: string,
    input: 'text' | 'textarea' | 'date' | 'number' | 'tel' | 'email' = 'text',
  ) => {
    const issue = problem(name);
    const common = {
      id: `case-${name}`,
      name,
      value: values[name],
      onInput: set(name),
      // The graph needs a phone or an e-mail, either one: neither is required alone.
      required: name !== 'phone' && name !== 'email',
      'aria-invalid': issue ? ('true' as const) : undefined,
      'aria-describedby': issue ? `case-error-${name}` : undefined,
    };
    return (
      <>
        <label for={`case-${name}`}>{text}</label>
        {input === 'textarea' ? <textarea rows={4} {...common} /> : <input type={input} {...common} />}
        {issue && (
          <p class="field-error" id={`case-error-${name}`}>
            {issue.message}
          </p>
        )}
      </>
    );
  };

  const select = (name: 'industry' | 'issueType', text: string, labels: Record<string, readonly [string, string]>) => (
    <>
      <label for={`case-${name}`}>{text}</label>
      <select id={`case-${name}`} name={name} value={values[name]} onChange={set(name)} required>
        <option value="">{tr(lang, '请选择', 'Choose…')}</option>
        {valuesOf(labels).map((value) => (
          <option key={value} value={value}>
            {label(labels[value], lang)}
          </option>
        ))}
      </select>
    </>
  );

  const uploading = uploads.some((upload) => !upload.id && !upload.failed);
  return (
    <form class="file-case" ref={form} onSubmit={submit}>
      <h2>{tr(lang, '提交投诉', 'File a complaint')}</h2>
      {field('name', tr(lang, '你的姓名', 'Your name'))}
      {field(
        'phone',
        tr(lang, '手机号（与邮箱至少填一项）', 'Mobile number (this or the e-mail, at least one)'),
        'tel',
      )}
      {field(
        'email',
        tr(lang, '电子邮箱（与手机号至少填一项）', 'E-mail (this or the mobile number, at least one)'),
        'email',
      )}
      {field('respondent', tr(lang, '被投诉的商家', 'The business'))}
      {field('respondentWhere', tr(lang, '商家的网店链接或地址', 'Its shop link or address'))}
      {select('industry', tr(lang, '行业', 'Industry'), INDUSTRY_LABELS)}
      {select('issueType', tr(lang, '问题类型', 'What it is about'), ISSUE_TYPE_LABELS)}
      {field('title', tr(lang, '标题', 'Title'))}
      {field('description', tr(lang, '事情经过', 'What happened'), 'textarea')}
      {field('demands', tr(lang, '你的诉求', 'What you ask for'))}
      {field('amount', tr(lang, '金额（元）', 'Amount (CNY)'), 'number')}
      {field('occurredOn', tr(lang, '发生日期', 'When it happened'), 'date')}
      <label for="case-evidence">{tr(lang, '证据（图片、PDF 或文本）', 'Evidence (images, PDF or text)')}</label>
      <input
        id="case-evidence"
        type="file"
        multiple
        accept="image/jpeg,image/png,image/webp,application/pdf,text/plain"
        onChange={addFiles}
      />
      <ul class="uploads">
        {uploads.map((upload) => (
          <li key={upload.name}>
            {upload.name}{' '}
            <progress
              max={1}
              value={upload.progress}
              aria-label={tr(lang, `${upload.name} 上传进度`, `${upload.name} upload`)}
            />
            {upload.id && <span class="done"> {tr(lang, '已上传', 'uploaded')}</span>}
            {upload.failed && <span class="field-error"> {tr(lang, '上传失败', 'upload failed')}</span>}
          </li>
        ))}
      </ul>
      {explained && (
        <p class="error-notice" role="alert">
          {explained.sentence}
        </p>
      )}
      <button type="submit" class="primary" disabled={result.fetching || uploading}>
        {result.fetching ? tr(lang, '正在提交…', 'Filing…') : tr(lang, '提交投诉', 'File the complaint')}
      </button>
    </form>
  );
}
