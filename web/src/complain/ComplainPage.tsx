/**
 * `/`: where can I complain? The situation lives in the query string; submitting pushes a new URL,
 * and the answer is fetched from the URL, so reloading, sharing and the back button all show the
 * same answer, and a double click asks nothing twice.
 */
import { useQuery } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { explainError } from '../app/errors.ts';
import { todayInChina, tr, useLang } from '../app/i18n.ts';
import { WhereToComplainDocument } from '../gql/graphql.ts';
import { AnswerList } from './AnswerList.tsx';
import { DatesTimeline, timelinePoints } from './DatesTimeline.tsx';
import { SituationFormView } from './SituationFormView.tsx';
import { formFromQuery, queryFromForm, type SituationForm, variablesFromForm } from './situation-params.ts';

export function ComplainPage() {
  const lang = useLang();
  const location = useLocation();
  const form = useMemo(() => formFromQuery(location.query), [location.url]);
  const variables = useMemo(() => variablesFromForm(form), [form]);
  // Paused while a required field is missing; the variables are then never sent.
  const [result] = useQuery({
    query: WhereToComplainDocument,
    variables: variables as NonNullable<typeof variables>,
    pause: !variables,
  });
  const answerRef = useRef<HTMLHeadingElement>(null);
  const submitted = useRef(false);

  const explained = result.error ? explainError(result.error, lang) : null;
  const recommendations = result.data?.whereToComplain;

  useEffect(() => {
    // After a submit, move focus to the answer so keyboard and screen-reader users land on it.
    if (submitted.current && recommendations) {
      submitted.current = false;
      answerRef.current?.focus();
    }
  }, [recommendations]);

  const submit = (next: SituationForm) => {
    submitted.current = true;
    const search = queryFromForm(next, location.query.lang);
    if (`/?${search}` === location.url) return;
    location.route(`/?${search}`);
  };

  return (
    <div class="complain-page">
      <h1>{tr(lang, '我可以去哪里投诉？', 'Where can I complain?')}</h1>
      <p class="lead">
        {tr(
          lang,
          '回答几个问题，看看哪些渠道今天就能受理你的投诉，哪些要等到某一天，以及最晚什么时候投诉。',
          'Answer a few questions to see which channels take your complaint today, which from a later date, ' +
            'and the last day to file.',
        )}
      </p>
      <SituationFormView
        key={location.url}
        lang={lang}
        initial={form}
        problems={explained?.fields ?? []}
        busy={result.fetching}
        onSubmit={submit}
      />
      <div aria-live="polite" class="results">
        {explained && (
          <p class="error-notice" role="alert">
            {explained.sentence}
          </p>
        )}
        {result.fetching && !recommendations && <p class="loading">{tr(lang, '正在查询…', 'Looking up…')}</p>}
        {recommendations && variables && (
          <>
            <h2 id="answers-title" ref={answerRef} tabIndex={-1}>
              {tr(lang, '可以投诉的渠道', 'Where you can complain')}
            </h2>
            <DatesTimeline
              lang={lang}
              points={timelinePoints(variables.situation, recommendations, variables.asOf ?? todayInChina(), lang)}
            />
            <AnswerList recommendations={recommendations} lang={lang} />
          </>
        )}
      </div>
    </div>
  );
}
