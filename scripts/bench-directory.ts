/**
 * Benchmark: `whereToComplain` over the whole catalogue, per situation, on one core, against two
 * baselines measured in the same run: a plain scope scan of the catalogue (no rules at all) and
 * the full engine over a copy of the catalogue whose rules are removed (text, ranking and deadlines
 * only). Run: `npm run bench:directory -- [--situations 2000] [--rounds 5]`.
 */
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadHolidayCalendar } from '../platform/calendar/calendar.ts';
import { addDays } from '../platform/calendar/dates.ts';
import { BUSINESS_OUTCOMES, INDUSTRIES, ISSUE_TYPES } from '../platform/vocabulary.ts';
import { loadCatalogue } from '../subgraphs/directory/data/load.ts';
import type { Catalogue } from '../subgraphs/directory/domain/catalogue.ts';
import { channelInScope } from '../subgraphs/directory/domain/channel-scope.ts';
import { whereToComplain } from '../subgraphs/directory/domain/recommend.ts';
import type { Situation } from '../subgraphs/directory/domain/situation.ts';

export interface BenchDirectoryOptions {
  /** How many generated situations each round answers. */
  situations: number;
  /** Measured rounds (after one warm-up); the median round is reported. */
  rounds: number;
}

export const BENCH_DIRECTORY_USAGE = 'usage: npm run bench:directory -- [--situations N] [--rounds N]';

/** The command line, or an Error whose message names the option, what it expects and what it got. */
export function parseBenchDirectoryArgs(argv: readonly string[]): BenchDirectoryOptions {
  let values: { situations: string; rounds: string };
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        situations: { type: 'string', default: '2000' },
        rounds: { type: 'string', default: '5' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${BENCH_DIRECTORY_USAGE}`);
  }
  const positive = (name: string, raw: string) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(`--${name}: expected a whole number of at least 1, got "${raw}".\n${BENCH_DIRECTORY_USAGE}`);
    }
    return value;
  };
  return { situations: positive('situations', values.situations), rounds: positive('rounds', values.rounds) };
}

/** A small deterministic generator so every run measures the same situations. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function makeSituations(count: number): { situation: Situation; asOf: string }[] {
  const random = lcg(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, () => {
    const asOf = addDays('2025-01-01', Math.floor(random() * 730));
    const occurredOn = addDays(asOf, -Math.floor(random() * 900));
    const contacted = random() < 0.6 ? addDays(occurredOn, Math.floor(random() * 5)) : null;
    const usableContact = contacted && contacted <= asOf ? contacted : null;
    const outcome = usableContact ? pick(BUSINESS_OUTCOMES) : null;
    return {
      asOf,
      situation: {
        industry: pick(INDUSTRIES),
        issueType: pick(ISSUE_TYPES),
        occurredOn,
        amount: Math.round(random() * 5000),
        region: random() < 0.3 ? '浙江省义乌市' : null,
        respondent: random() < 0.8 ? { name: '某公司' } : null,
        contactedBusinessOn: usableContact,
        businessOutcome: outcome,
        prepared: random() < 0.7 ? ['DEMAND', 'FACTS', 'COMPLAINANT_CONTACT'] : ['FACTS'],
        alreadyBefore: random() < 0.1 ? ['COURT'] : [],
      },
    };
  });
}

function measure(
  label: string,
  { situations, rounds }: BenchDirectoryOptions,
  run: () => number,
): { label: string; microsPerSituation: number; checksum: number } {
  run(); // warm-up: JIT and caches
  const samples: number[] = [];
  let checksum = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    checksum += run();
    samples.push(Number(process.hrtime.bigint() - started) / 1000 / situations);
  }
  samples.sort((a, b) => a - b);
  return { label, microsPerSituation: samples[Math.floor(samples.length / 2)], checksum };
}

function main(options: BenchDirectoryOptions): void {
  const catalogue = loadCatalogue();
  const calendar = loadHolidayCalendar();
  const withoutRules: Catalogue = {
    channels: catalogue.channels.map((channel) => ({
      ...channel,
      ruleVersions: channel.ruleVersions.map((version) => ({ ...version, rules: [] })),
    })),
    byId: catalogue.byId,
  };
  const inputs = makeSituations(options.situations);

  const scan = measure('baseline: scope scan of the catalogue (no rules, no text)', options, () => {
    let found = 0;
    for (const { situation } of inputs)
      for (const channel of catalogue.channels) if (channelInScope(channel, situation)) found += 1;
    return found;
  });
  const empty = measure('baseline: whereToComplain with every rule removed', options, () => {
    let found = 0;
    for (const { situation, asOf } of inputs)
      found += whereToComplain(withoutRules, calendar, situation, asOf).recommendations.length;
    return found;
  });
  const full = measure('whereToComplain, full catalogue and rules', options, () => {
    let found = 0;
    for (const { situation, asOf } of inputs)
      found += whereToComplain(catalogue, calendar, situation, asOf).recommendations.length;
    return found;
  });

  console.log(
    `machine: ${cpus().length} logical CPUs visible, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
  );
  console.log(
    `catalogue: ${catalogue.channels.length} channels; ${options.situations} situations x ${options.rounds} rounds ` +
      '(median round), single thread',
  );
  for (const result of [scan, empty, full]) {
    console.log(
      `${result.label}: ${result.microsPerSituation.toFixed(2)} µs per situation (checksum ${result.checksum})`,
    );
  }
  console.log(
    `full / empty-rules: ${(full.microsPerSituation / empty.microsPerSituation).toFixed(2)}x; ` +
      `full / scope scan: ${(full.microsPerSituation / scan.microsPerSituation).toFixed(1)}x`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let options: BenchDirectoryOptions;
  try {
    options = parseBenchDirectoryArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  main(options);
}
