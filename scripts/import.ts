/**
 * Imports complaint listings people already have (a journalist's spreadsheet, an export) into
 * the reputation store, with the same validation, normalisation, enterprise resolution and
 * rollups as crawled listings:
 *
 *   npm run import -- --source blackcat --format csv complaints.csv
 *   npm run import -- --source jutousu --format xlsx 聚投诉导出.xlsx [--batch 5000] [--quiet]
 *
 * The columns are documented in the README ("Importing listings"). Invalid rows are quarantined
 * with their row number and reasons, and the first ones are printed. Exit code: 0 when the file
 * was read (even with quarantined rows), 1 when it could not be read, 2 on bad arguments.
 */
import { Presets, SingleBar } from 'cli-progress';
import { access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../platform/config.ts';
import { enterpriseResolver } from '../platform/enterprise/aliases.ts';
import { ListingSource } from '../subgraphs/reputation/domain/listing.ts';
import { IMPORT_FORMATS, type ImportFormat, ImportFileError } from '../subgraphs/reputation/sources/import/readers.ts';
import { type ImportSummary, runImport } from '../subgraphs/reputation/sources/import/run.ts';
import { openImportProvenance } from '../subgraphs/reputation/store/import-provenance-open.ts';
import { type IngestionStore, openIngestionStore } from '../subgraphs/reputation/store/listings-open.ts';
import type { OnListingChanges } from '../subgraphs/reputation/store/listings.ts';
import { openRollupStore } from '../subgraphs/reputation/store/rollups-open.ts';

/** Our own published cases come from the cases subgraph, never from a file. */
const IMPORTABLE = Object.values(ListingSource).filter((source) => source !== ListingSource.Weiquan);

export interface ImportCliArguments {
  source: ListingSource;
  format: ImportFormat;
  path: string;
  batchSize: number;
  quiet: boolean;
}

const USAGE =
  `Usage: npm run import -- --source <${IMPORTABLE.join('|')}> --format <${IMPORT_FORMATS.join('|')}> FILE ` +
  '[--batch N] [--quiet]';

/** Validates the command line; throws an Error whose message says what was wrong and what is accepted. */
export function parseImportArguments(argv: string[]): ImportCliArguments {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      format: { type: 'string' },
      batch: { type: 'string', default: '5000' },
      quiet: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.source || !(IMPORTABLE as string[]).includes(values.source))
    throw new Error(`--source: expected one of ${IMPORTABLE.join(', ')}, got "${values.source ?? ''}".\n${USAGE}`);
  if (!values.format || !(IMPORT_FORMATS as readonly string[]).includes(values.format))
    throw new Error(`--format: expected one of ${IMPORT_FORMATS.join(', ')}, got "${values.format ?? ''}".\n${USAGE}`);
  if (positionals.length !== 1) throw new Error(`expected exactly one FILE, got ${positionals.length}.\n${USAGE}`);
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new Error(`--batch: expected an integer from 1 to 100000, got "${values.batch}".`);
  return {
    source: values.source as ListingSource,
    format: values.format as ImportFormat,
    path: positionals[0],
    batchSize,
    quiet: values.quiet ?? false,
  };
}

export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.source} ← ${summary.file} (sha256 ${summary.sha256})`,
    `  rows ${summary.rows}, new ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}, ` +
      `quarantined ${summary.quarantined}, time ${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
  if (summary.ignoredColumns.length > 0) lines.push(`  ignored columns: ${summary.ignoredColumns.join(', ')}`);
  for (const error of summary.errors.slice(0, 10)) lines.push(`  quarantined ${error}`);
  if (summary.quarantined > 10) lines.push(`  … ${summary.quarantined - 10} more in the quarantine`);
  if (summary.lowConfidenceNames.length > 0)
    lines.push(
      `  resolved by name only (low confidence): ${summary.lowConfidenceNames.length}: ` +
        `${summary.lowConfidenceNames.slice(0, 10).join('、')}${summary.lowConfidenceNames.length > 10 ? ' …' : ''}`,
    );
  return lines.join('\n');
}

/**
 * Runs the import on the configured store. `onChanges` is the statistics hook (the command line
 * passes the statistics slice of the same store, as `npm run ingest` does).
 */
export async function runImportCli(
  args: ImportCliArguments,
  deps: {
    config: Config;
    store?: IngestionStore;
    onChanges?: (store: IngestionStore) => OnListingChanges | undefined;
    out?: (line: string) => void;
    /** Where the progress bar is drawn (default stderr); drawn only when it is a terminal. */
    progress?: NodeJS.WritableStream & { isTTY?: boolean };
  },
): Promise<ImportSummary> {
  const out = deps.out ?? ((line: string) => console.log(line));
  await access(args.path).catch(() => {
    throw new ImportFileError(`${args.path}: no such file, or not readable`);
  });
  const store = deps.store ?? (await openIngestionStore(deps.config));
  const stream = deps.progress ?? process.stderr;
  const bar =
    args.quiet || !stream.isTTY
      ? null
      : new SingleBar(
          {
            format:
              `import ${args.source} |{bar}| {percentage}% · {rows} rows · {inserted} new · ` +
              '{updated} updated · {quarantined} quarantined',
            hideCursor: true,
            stream,
          },
          Presets.shades_classic,
        );
  try {
    bar?.start(1, 0, { rows: 0, inserted: 0, updated: 0, quarantined: 0 });
    const summary = await runImport(
      {
        listings: store.listings,
        provenance: openImportProvenance(store),
        resolver: enterpriseResolver(),
        onChanges: deps.onChanges?.(store),
        onProgress: (progress) => {
          if (!bar) return;
          bar.setTotal(Math.max(progress.total, 1));
          bar.update(progress.done, { ...progress });
        },
      },
      { source: args.source, format: args.format, path: args.path, batchSize: args.batchSize },
    );
    bar?.stop();
    out(formatImportSummary(summary));
    return summary;
  } finally {
    bar?.stop();
    if (!deps.store) await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let args: ImportCliArguments;
  try {
    args = parseImportArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const config = loadConfig();
  const store = await openIngestionStore(config);
  try {
    // The statistics rollups follow every write, in the same transaction, as in the subgraph.
    const statistics = await openRollupStore(store);
    await runImportCli(args, { config, store, onChanges: () => statistics.onListingChanges });
  } catch (error) {
    console.error(error instanceof ImportFileError ? error.message : error);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}
