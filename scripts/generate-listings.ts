/**
 * Writes N synthetic listing records straight to the reputation store, for benchmarks:
 *
 *   node scripts/generate-listings.ts --records 10000000 --enterprises 100000 [--batch 20000] [--seed 1]
 *       [--until 2026-11-01] [--no-rollups]
 *
 * Enterprises follow a Zipf-like law (a few take most complaints), sources and statuses follow
 * realistic mixes, reply and completion delays are log-normal. Records go through the listings
 * repository in large transactions (and, on SQLite, through the statistics rollups hook unless
 * --no-rollups), so what is generated is exactly what ingestion would have stored.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../platform/config.ts';
import { enterpriseResolver } from '../platform/enterprise/aliases.ts';
import { INDUSTRIES } from '../platform/vocabulary.ts';
import { ListingSource, ListingStatus, type ListingRecord } from '../subgraphs/reputation/domain/listing.ts';
import { hashRaw } from '../subgraphs/reputation/domain/normalise.ts';
import type { OnListingChanges } from '../subgraphs/reputation/store/listings.ts';
import { openIngestionStore } from '../subgraphs/reputation/store/listings-open.ts';
import { openSqliteRollupStore } from '../subgraphs/reputation/store/rollups-open.ts';
import { seededRandom } from './seeded-random.ts';

/** Cumulative Zipf(s) weights over ranks 1..n, for sampling by binary search. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 1; rank <= n; rank++) cumulative[rank - 1] = total += 1 / rank ** s;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function logNormal(random: () => number, medianHours: number, sigma: number): number {
  const u = Math.max(random(), 1e-12);
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return medianHours * Math.exp(sigma * normal) * 3600_000;
}

const SOURCE_MIX: Array<[ListingSource, number]> = [
  [ListingSource.BlackCat, 0.6],
  [ListingSource.Samr12315, 0.25],
  [ListingSource.Jutousu, 0.1],
  [ListingSource.Weiquan, 0.05],
];
const STATUS_MIX: Array<[ListingStatus, number]> = [
  [ListingStatus.Pending, 0.12],
  [ListingStatus.InProgress, 0.13],
  [ListingStatus.Replied, 0.25],
  [ListingStatus.Completed, 0.4],
  [ListingStatus.Closed, 0.1],
];
const RAW_STATUS: Record<ListingStatus, string> = {
  PENDING: '3',
  IN_PROGRESS: '4',
  REPLIED: '6',
  COMPLETED: '7',
  CLOSED: '8',
  UNKNOWN: '0',
};

function pick<T>(mix: Array<[T, number]>, random: () => number): T {
  let r = random();
  for (const [value, weight] of mix) {
    r -= weight;
    if (r < 0) return value;
  }
  return mix[mix.length - 1][0];
}

export interface GeneratorOptions {
  records: number;
  enterprises: number;
  seed: number;
  /** Records are spread over the 400 days before this instant. */
  until: number;
}

/** Yields the records in batches; deterministic for a seed. */
export function* generateListings(options: GeneratorOptions, batchSize: number): Generator<ListingRecord[]> {
  const random = seededRandom(options.seed);
  const enterpriseOf = zipfSampler(options.enterprises, 1.1, random);
  const resolver = enterpriseResolver();
  const enterprises: Array<{ id: string; name: string; industry: string }> = [];
  for (let i = 0; i < options.enterprises; i++) {
    const name = `合成样本企业${i + 1}号有限公司`;
    enterprises.push({ id: resolver.resolve({ name }).id, name, industry: INDUSTRIES[i % INDUSTRIES.length] });
  }
  const span = 400 * 24 * 3600_000;
  let batch: ListingRecord[] = [];
  for (let i = 0; i < options.records; i++) {
    const enterprise = enterprises[enterpriseOf()];
    const source = pick(SOURCE_MIX, random);
    const status = pick(STATUS_MIX, random);
    const createdAt = Math.floor(options.until - random() * span);
    const answered =
      status === ListingStatus.Replied || status === ListingStatus.Completed || status === ListingStatus.Closed;
    const repliedAt =
      answered && random() < 0.9 ? Math.min(options.until, createdAt + Math.round(logNormal(random, 30, 1.2))) : null;
    const completedAt =
      status === ListingStatus.Completed
        ? Math.min(options.until, (repliedAt ?? createdAt) + Math.round(logNormal(random, 72, 1)))
        : null;
    const externalId = `gen${options.seed}-${i}`;
    const record: ListingRecord = {
      source,
      externalId,
      url: null,
      enterpriseName: enterprise.name,
      enterpriseId: enterprise.id,
      enterpriseBasis: 'NAME',
      industry: enterprise.industry,
      title: '合成记录',
      issue: null,
      demand: null,
      amount: random() < 0.7 ? Math.round(random() * 300000) / 100 : null,
      status,
      rawStatus: RAW_STATUS[status],
      createdAt,
      repliedAt,
      completedAt,
      satisfaction:
        status === ListingStatus.Completed && random() < 0.6 ? 1 + Math.min(4, Math.floor(random() ** 0.6 * 5)) : null,
      rawHash: '',
    };
    record.rawHash = hashRaw({ externalId, status, createdAt, enterprise: enterprise.id });
    batch.push(record);
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '100000' },
      enterprises: { type: 'string', default: '10000' },
      batch: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      until: { type: 'string' },
      'no-rollups': { type: 'boolean', default: false },
    },
  });
  const number = (name: string, raw: string | undefined) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      console.error(`--${name}: expected a positive integer, got "${raw}".`);
      process.exit(2);
    }
    return value;
  };
  const records = number('records', values.records);
  const enterprises = number('enterprises', values.enterprises);
  const batchSize = number('batch', values.batch);
  const seed = number('seed', values.seed);
  const until = values.until ? Date.parse(values.until) : Date.now();
  if (Number.isNaN(until)) {
    console.error(`--until: expected a date, got "${values.until}".`);
    process.exit(2);
  }
  const config = loadConfig();
  const store = await openIngestionStore(config);
  let onChanges: OnListingChanges | undefined;
  if (!values['no-rollups'] && store.sqlite) onChanges = openSqliteRollupStore(store.sqlite).onListingChanges;
  const started = performance.now();
  let written = 0;
  try {
    for (const batch of generateListings({ records, enterprises, seed, until }, batchSize)) {
      const result = await store.listings.upsertBatch(batch, onChanges);
      written += result.inserted + result.updated;
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(
        `\r${written.toLocaleString('en')} / ${records.toLocaleString('en')} records, ` +
          `${Math.round(written / seconds).toLocaleString('en')}/s   `,
      );
    }
  } finally {
    await store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nWrote ${written} records for ${enterprises} enterprises in ${seconds.toFixed(1)} s ` +
      `(${Math.round(written / seconds)}/s)${onChanges ? ', rollups maintained' : ''}.`,
  );
}
