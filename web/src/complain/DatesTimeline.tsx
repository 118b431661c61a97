/**
 * The consumer's dates on one line, in order: the event, the contact with the business, the first
 * day a channel that is not usable yet becomes usable, the earliest "file by" and today. Drawn as a
 * list (a vertical line on a phone, a horizontal one on a wide screen), so a screen reader reads it too.
 */
import { type Lang, tr } from '../app/i18n.ts';
import type { Recommendation } from './AnswerList.tsx';

interface Point {
  date: string;
  kind: string;
  text: string;
}

export function timelinePoints(
  situation: { occurredOn: string; contactedBusinessOn?: string | null },
  recommendations: Recommendation[],
  today: string,
  lang: Lang,
): Point[] {
  const points: Point[] = [{ date: situation.occurredOn, kind: 'event', text: tr(lang, '事情发生', 'The event') }];
  if (situation.contactedBusinessOn) {
    points.push({
      date: situation.contactedBusinessOn,
      kind: 'contact',
      text: tr(lang, '向商家投诉', 'You complained to the business'),
    });
  }
  const eligibleFrom = recommendations
    .filter((recommendation) => recommendation.eligibility === 'NOT_YET' && recommendation.eligibleFrom)
    .map((recommendation) => recommendation.eligibleFrom as string)
    .sort()[0];
  if (eligibleFrom) {
    points.push({ date: eligibleFrom, kind: 'eligible', text: tr(lang, '更多渠道可以投诉', 'More channels open') });
  }
  const fileBy = recommendations
    .filter((recommendation) => recommendation.eligibility !== 'NOT_ACCEPTED' && recommendation.fileBy)
    .map((recommendation) => recommendation.fileBy as string)
    .sort()[0];
  if (fileBy) points.push({ date: fileBy, kind: 'file-by', text: tr(lang, '最晚投诉日期', 'Last day to file') });
  points.push({ date: today, kind: 'today', text: tr(lang, '今天', 'Today') });
  return points.sort((a, b) => a.date.localeCompare(b.date));
}

export function DatesTimeline({ points, lang }: { points: Point[]; lang: Lang }) {
  return (
    <section class="timeline-section" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{tr(lang, '时间线', 'Your dates')}</h2>
      <ol class="timeline">
        {points.map((point) => (
          <li key={`${point.kind}-${point.date}`} class={`timeline-point timeline-${point.kind}`}>
            <time dateTime={point.date}>{point.date}</time>
            <span>{point.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
