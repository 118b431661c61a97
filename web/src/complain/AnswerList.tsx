/**
 * The ranked answer: for each channel a badge (can file today, from a date, not accepted and why),
 * the last day to file, the legal basis with its article, the next steps and the contacts. Facts
 * the directory has not confirmed say so.
 */
import { type Lang, pick, tr } from '../app/i18n.ts';
import { ACCESS_TYPE_LABELS, CONFIDENCE_LABELS, DAY_KIND_LABELS, label } from '../app/vocabulary.ts';
import type { FactConfidence, WhereToComplainQuery } from '../gql/graphql.ts';

export type Recommendation = WhereToComplainQuery['whereToComplain'][number];

/** Reasons that only explain the ranking or the rule version; the badge names a decisive reason. */
const BACKGROUND_REASONS = new Set(['RULE_VERSION', 'STANDING', 'NO_PREREQUISITES', 'INFORMATION_TO_PREPARE']);

export function Unconfirmed({ confidence, lang }: { confidence: FactConfidence; lang: Lang }) {
  if (confidence === 'CONFIRMED') return null;
  return <span class="unconfirmed">{label(CONFIDENCE_LABELS[confidence], lang)}</span>;
}

function Badge({ recommendation, lang }: { recommendation: Recommendation; lang: Lang }) {
  const { eligibility, eligibleFrom } = recommendation;
  if (eligibility === 'ELIGIBLE')
    return <span class="badge badge-today">{tr(lang, '今天即可投诉', 'Can file today')}</span>;
  if (eligibility === 'NOT_YET') {
    return (
      <span class="badge badge-later">{tr(lang, `${eligibleFrom} 起可投诉`, `Can file from ${eligibleFrom}`)}</span>
    );
  }
  if (eligibility === 'NEEDS_INFORMATION') {
    return <span class="badge badge-later">{tr(lang, '需补充信息', 'Needs more information')}</span>;
  }
  const decisive = recommendation.reasons.find((reason) => !BACKGROUND_REASONS.has(reason.code));
  return (
    <span class="badge badge-refused">
      {tr(lang, '不受理', 'Not accepted')}
      {decisive ? `${tr(lang, '：', ': ')}${pick(decisive.message, lang)}` : ''}
    </span>
  );
}

function contactHref(type: string, address: string): string | undefined {
  if (type === 'HOTLINE') return `tel:${address.replace(/[^\d+]/g, '')}`;
  if (type === 'EMAIL') return `mailto:${address}`;
  if (type === 'WEB' && /^https?:\/\//.test(address)) return address;
  return undefined;
}

function Contacts({ recommendation, lang }: { recommendation: Recommendation; lang: Lang }) {
  const { access } = recommendation.channel;
  if (access.length === 0) return null;
  return (
    <section>
      <h4>{tr(lang, '联系方式', 'Contacts')}</h4>
      <ul class="contacts">
        {access.map((point) => {
          const href = contactHref(point.type, point.address);
          const text = point.label ? `${pick(point.label, lang)} ${point.address}` : point.address;
          return (
            <li key={`${point.type}-${point.address}`}>
              <span class="contact-type">{label(ACCESS_TYPE_LABELS[point.type], lang)}</span>{' '}
              {href ? (
                <a href={href} rel="noopener noreferrer" target={point.type === 'WEB' ? '_blank' : undefined}>
                  {text}
                </a>
              ) : (
                text
              )}
              {point.hours && <span class="hours"> ({pick(point.hours, lang)})</span>}{' '}
              <Unconfirmed confidence={point.confidence} lang={lang} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function LegalBasis({ recommendation, lang }: { recommendation: Recommendation; lang: Lang }) {
  const reasons = recommendation.reasons.filter((reason) => reason.code !== 'STANDING');
  const decisive = reasons.filter((reason) => !BACKGROUND_REASONS.has(reason.code));
  const citations = new Map(decisive.flatMap((reason) => reason.legalBasis).map((ref) => [ref.id, ref]));
  return (
    <section>
      <h4>{tr(lang, '法律依据', 'Legal basis')}</h4>
      <ul class="citations">
        {[...citations.values()].map((reference) => (
          <li key={reference.id}>
            {pick(reference.regulation, lang)} {reference.article}{' '}
            <Unconfirmed confidence={reference.confidence} lang={lang} />
          </li>
        ))}
        <li>
          {tr(lang, '适用规则版本：', 'Rules applied: ')}
          {pick(recommendation.ruleVersion.title, lang)}{' '}
          <Unconfirmed confidence={recommendation.ruleVersion.confidence} lang={lang} />
        </li>
      </ul>
      <details class="reasons-details">
        <summary>{tr(lang, `判断理由（${reasons.length} 条）`, `Why (${reasons.length} reasons)`)}</summary>
        <ul class="reasons">
          {reasons.map((reason, index) => (
            <li key={`${reason.code}-${index}`}>
              {pick(reason.message, lang)}
              {reason.legalBasis.map((reference) => (
                <span class="citation" key={reference.id}>
                  {' '}
                  〔{pick(reference.regulation, lang)} {reference.article}〕
                  <Unconfirmed confidence={reference.confidence} lang={lang} />
                </span>
              ))}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function Deadlines({ recommendation, lang }: { recommendation: Recommendation; lang: Lang }) {
  if (recommendation.deadlinesIfFiled.length === 0) return null;
  return (
    <details class="deadlines-details">
      <summary>{tr(lang, '投诉后的办理时限', 'Time limits once you file')}</summary>
      <ul>
        {recommendation.deadlinesIfFiled.map((deadline) => (
          <li key={deadline.timeLimit.id}>
            {pick(deadline.timeLimit.what, lang)}
            {deadline.timeLimit.days != null &&
              ` (${deadline.timeLimit.days} ${label(DAY_KIND_LABELS[deadline.timeLimit.dayKind], lang)})`}
            {tr(lang, '：', ': ')}
            {deadline.dueOn ?? tr(lang, '日期未定', 'date not known yet')}{' '}
            <Unconfirmed confidence={deadline.timeLimit.confidence} lang={lang} />
          </li>
        ))}
      </ul>
    </details>
  );
}

export function AnswerList({ recommendations, lang }: { recommendations: Recommendation[]; lang: Lang }) {
  if (recommendations.length === 0) {
    return (
      <p class="empty" role="status">
        {tr(lang, '没有找到适用的投诉渠道。', 'No channel covers this situation.')}
      </p>
    );
  }
  return (
    <ol class="answers" aria-label={tr(lang, '可以投诉的渠道，按推荐顺序', 'Where you can complain, best first')}>
      {recommendations.map((recommendation) => (
        <li
          key={recommendation.channel.id}
          class={`answer answer-${recommendation.eligibility.toLowerCase()}`}
          data-channel={recommendation.channel.id}
        >
          <header>
            <h3>
              <span class="rank">{recommendation.rank}.</span> {pick(recommendation.channel.name, lang)}
            </h3>
            <p class="operator">{pick(recommendation.channel.operator, lang)}</p>
            <Badge recommendation={recommendation} lang={lang} />
            {recommendation.fileBy && (
              <p class="file-by">
                {tr(lang, '最晚投诉日期：', 'File by: ')}
                <strong>{recommendation.fileBy}</strong>
              </p>
            )}
            {recommendation.datesProvisional && (
              <p class="unconfirmed">
                {tr(
                  lang,
                  '该年节假日安排尚未公布，日期可能顺延。',
                  'That year’s holidays are not published yet; the date may move.',
                )}
              </p>
            )}
          </header>
          {recommendation.nextSteps.length > 0 && (
            <section>
              <h4>{tr(lang, '下一步', 'Next steps')}</h4>
              <ol class="next-steps">
                {recommendation.nextSteps.map((step) => (
                  <li key={step.en}>{pick(step, lang)}</li>
                ))}
              </ol>
            </section>
          )}
          <Contacts recommendation={recommendation} lang={lang} />
          <LegalBasis recommendation={recommendation} lang={lang} />
          <Deadlines recommendation={recommendation} lang={lang} />
        </li>
      ))}
    </ol>
  );
}
