import { CrawlStatus, type CrawlState, type HttpValidators } from '../store/crawl-state.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { IngestDependencies, IngestOptions, IngestSummary } from './types.ts';

/**
 * The end of a crawl (run.ts): its final status from what went wrong on the way, then the source's
 * crawl state saved (checkpoint advanced only over a clean run), unless the run lost its source.
 */
export interface FinishedRun {
  deps: Pick<IngestDependencies, 'adapter' | 'crawlState' | 'logger'>;
  options: IngestOptions;
  summary: IngestSummary;
  /** The crawl state as the run found it. */
  state: CrawlState;
  checkpoint: Checkpoint | null;
  /** The newest record time seen, null when none. */
  progress: number | null;
  validators: Record<string, HttpValidators>;
  lowConfidence: Set<string>;
  degradedReason: string | null;
  detailFailures: number;
  /** The source could not be reached at all (counts towards DOWN). */
  unreachable: boolean;
  startedAt: number;
  now: () => number;
}

export async function finishRun(run: FinishedRun): Promise<IngestSummary> {
  const { deps, options, summary, state, checkpoint, progress, validators, lowConfidence } = run;
  const { degradedReason, detailFailures, unreachable, startedAt, now } = run;
  const { adapter, crawlState } = deps;
  if (summary.status === CrawlStatus.Ok && (summary.failedPages > 0 || degradedReason || detailFailures > 0)) {
    const reason =
      degradedReason ??
      (summary.failedPages > 0 ? `${summary.failedPages} page(s) failed` : `${detailFailures} detail page(s) failed`);
    summary.status = CrawlStatus.Degraded;
    summary.evidence ??= { reason, errors: summary.errors.slice(0, 5) };
    summary.stopReason = reason;
  }
  const failures = unreachable ? state.consecutiveFailures + 1 : 0;
  if (unreachable && failures >= (options.downAfterFailures ?? 3)) summary.status = CrawlStatus.Down;
  summary.lowConfidenceNames = [...lowConfidence].sort();
  const finishedAt = now();
  summary.durationMs = finishedAt - startedAt;

  // The source's lease went to another instance, which may already have saved a newer state
  // (checkpoint, validators, health): what this run wrote stays (upserts are idempotent); its
  // stale view of the crawl state does not.
  if (options.signal?.aborted) {
    deps.logger?.warn(
      { source: adapter.source, inserted: summary.inserted, updated: summary.updated },
      'ingest interrupted: crawl state left to the lease holder',
    );
    return summary;
  }

  // Advance the checkpoint only over a run that saw every page: a skipped page must be re-read.
  const clean = summary.status === CrawlStatus.Ok;
  const newCheckpoint =
    clean && progress !== null ? Math.max(progress, checkpoint?.progress ?? -Infinity) : (checkpoint?.progress ?? null);
  await crawlState.save(
    {
      ...state,
      status: summary.status,
      checkpoint: newCheckpoint === null ? state.checkpoint : JSON.stringify({ progress: newCheckpoint }),
      validators: clean ? validators : {},
      lastAttemptAt: startedAt,
      lastSuccessAt: clean ? finishedAt : state.lastSuccessAt,
      lastError: clean ? state.lastError : (summary.errors[0] ?? summary.stopReason),
      lastErrorAt: clean ? state.lastErrorAt : finishedAt,
      evidence: clean ? null : JSON.stringify(summary.evidence),
      consecutiveFailures: failures,
    },
    finishedAt,
  );
  deps.logger?.info(
    {
      ...summary,
      errors: summary.errors.length,
      lowConfidenceNames: summary.lowConfidenceNames.length,
      lowConfidenceSample: summary.lowConfidenceNames.slice(0, 20),
    },
    'ingest finished',
  );
  return summary;
}
