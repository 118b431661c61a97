/**
 * Gateway performance side by side with the stock gateways (issue 17):
 *
 *   npm run bench:gateway [-- --quick] [--cases 100000] [--listings 1000000] [--enterprises 50000]
 *       [--seconds 6] [--rounds 3] [--concurrency 10] [--out bench-results/gateway-<date>.json]
 *       [--baseline <git ref>] [--only ours,uncached,hive,apollo,bound,base] [--modes distinct,identical] [--cpu-prof]
 *       [--gateway-workers N] [--trace-gc] [--alloc-prof] [--ours-node-flags "--max-semi-space-size=32"]
 *       [--fetch-times]
 *
 * Seeds a fresh data directory (with the complainants' accounts), starts each of the four subgraphs
 * and each gateway as its own process on loopback (`NODE_ENV=production`, secrets of the run's own),
 * signs the complainants in through the accounts subgraph, captures the mix's subgraph fetches through our
 * gateway once, then runs the targets interleaved (ours, ours without its response cache, stock Hive,
 * stock Apollo, the zero-cost bound) for each mode and round, and finally our gateway at half its peak
 * rate for the latency. The mix cycles a few hundred operations, so every cacheable one (the anonymous
 * directory answers, rankings and pages of published cases, three quarters of the mix) is a cache hit
 * after the first cycle: the uncached target is the comparison that does not depend on how often real
 * callers repeat themselves.
 * `--baseline` adds our gateway as of that commit as a further target, so that a change is measured
 * before and after in the same run. `--cpu-prof` profiles our gateway (with and without its cache), stock Hive
 * and the subgraphs into `bench-results/profiles/`; `bench-gateway/top-frames.ts` names where the time went, and
 * `bench-gateway/compare-profiles.ts` puts two gateways' profiles side by side per request. `--trace-gc` logs
 * each process's collections into `bench-results/gc/` and reports the pauses of each during the half-peak run.
 * `--alloc-prof` samples what our gateway allocates (garbage included) during its first distinct round and
 * names the functions that allocate most, per request. `--ours-node-flags` starts our gateway (not the
 * baseline) with those Node/V8 flags, so a flag is measured against `--baseline HEAD` in one run; with a
 * baseline, the half-peak latency is measured for it too, at our rate. `--fetch-times` sends each captured
 * subgraph fetch once more, alone, and reports each operation's fetches' times: where the subgraphs' time
 * goes. Parts: `bench-gateway/` (seed, accounts, stock gateways, workload, load generator, capture,
 * processes, baseline).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Pool } from 'undici';
import { type CapturedFetch, type FetchTimes, recordingProxies, replay, timeFetches } from './bench-gateway/capture.ts';
import { closedLoop, type Exchange, type LoadResult, openLoop, poolFor } from './bench-gateway/load.ts';
import { type Child, freePort, startNode, waitForGraphQL } from './bench-gateway/processes.ts';
import { exportBaseline } from './bench-gateway/baseline.ts';
import { seedComplainantAccounts, signInAll } from './bench-gateway/accounts.ts';
import { COMPLAINANT_IDS, seedCases, seedListings } from './bench-gateway/seed.ts';
import { type BenchRequest, distinctMix, IDENTICAL_ANONYMOUS } from './bench-gateway/workload.ts';
import { type GcPauses, gcTraces } from './bench-gateway/gc-trace.ts';
import { connectInspector } from './inspector-client.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    cases: { type: 'string' },
    listings: { type: 'string' },
    enterprises: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string', default: '10' },
    mix: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
    modes: { type: 'string' },
    baseline: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'trace-gc': { type: 'boolean', default: false },
    'alloc-prof': { type: 'boolean', default: false },
    'ours-node-flags': { type: 'string' },
    'fetch-times': { type: 'boolean', default: false },
    'gateway-workers': { type: 'string' },
  },
});
const quick = values.quick;
const int = (name: string, raw: string | undefined, fallback: number) => {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, got ${raw}`);
  return value;
};
const scale = {
  cases: int('cases', values.cases, quick ? 2_000 : 100_000),
  listings: int('listings', values.listings, quick ? 20_000 : 1_000_000),
  enterprises: int('enterprises', values.enterprises, quick ? 1_000 : 50_000),
};
const SECONDS = int('seconds', values.seconds, quick ? 2 : 6);
const ROUNDS = int('rounds', values.rounds, 3);
const CONCURRENCY = int('concurrency', values.concurrency, 10);
const MIX_SIZE = int('mix', values.mix, quick ? 100 : 400);
const WARMUP_SECONDS = quick ? 0.5 : 1;
const MAX_REQUESTS = 1_000_000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const here = (path: string) => join(ROOT, path);
const SUBGRAPHS = ['directory', 'cases', 'reputation', 'accounts'] as const;
/** `uncached`: ours with RESPONSE_CACHE=false, so the response cache's part in our figures shows. */
const ALL_TARGETS = ['ours', 'uncached', 'base', 'hive', 'apollo', 'bound'] as const;
type Target = (typeof ALL_TARGETS)[number];
type GatewayTarget = Exclude<Target, 'bound'>;
const TARGETS = ALL_TARGETS.filter((target) => target !== 'base' || values.baseline);
const GATEWAYS = TARGETS.filter((target): target is GatewayTarget => target !== 'bound');

const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-bench-gateway-'));
const children: Child[] = [];
const pools: Pool[] = [];
const cleanups: Array<() => void> = [];
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const gcLogs: Record<string, string> = {};
/** With `--trace-gc`, the node flag and the file its lines go to. */
const gcTracing = (name: string): { flags: string[]; stdoutFile?: string } => {
  if (!values['trace-gc']) return { flags: [] };
  mkdirSync(here('bench-results/gc'), { recursive: true });
  gcLogs[name] = here(`bench-results/gc/${name}.log`);
  return { flags: ['--trace-gc'], stdoutFile: gcLogs[name] };
};

const profiling = (name: string) =>
  values['cpu-prof']
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${here('bench-results/profiles')}`,
        `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
      ]
    : [];

async function main() {
  log(`seeding ${JSON.stringify(scale)} into ${dataDir}`);
  let started = performance.now();
  seedListings(dataDir, scale, process.env);
  const sample = seedCases(dataDir, scale);
  const password = await seedComplainantAccounts(dataDir, COMPLAINANT_IDS);
  const seedSeconds = (performance.now() - started) / 1000;
  log(`seeded in ${seedSeconds.toFixed(1)} s`);

  const ports = Object.fromEntries(
    await Promise.all([...SUBGRAPHS, ...GATEWAYS, 'capture'].map(async (n) => [n, await freePort()])),
  ) as Record<string, number>;
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`]));
  const secret = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    AUTH_SECRET: secret,
    WEBHOOK_SIGNING_SECRET: randomBytes(24).toString('hex'),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    // No periodic deadline sweep over 100,000 cases in the middle of a measurement.
    SCHEDULER_ENABLED: 'false',
    DIRECTORY_PORT: String(ports.directory),
    CASES_PORT: String(ports.cases),
    REPUTATION_PORT: String(ports.reputation),
    ACCOUNTS_PORT: String(ports.accounts),
    DIRECTORY_URL: subgraphUrls.directory,
    CASES_URL: subgraphUrls.cases,
    REPUTATION_URL: subgraphUrls.reputation,
    // Where every part finds the accounts subgraph's JWKS, the only token keys accepted in production.
    ACCOUNTS_URL: subgraphUrls.accounts,
    // One address and a handful of subjects send everything: the per-client rate limit is set out of
    // the way (still counted on every request), as RELIABILITY.md and BENCHMARKS.md say.
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    RATE_LIMIT_SIGNED_IN_PER_MINUTE: '100000000',
  };
  for (const name of SUBGRAPHS) {
    const gc = gcTracing(name);
    const child = startNode(
      name,
      [...gc.flags, ...profiling(name), here(`subgraphs/${name}/main.ts`)],
      env,
      gc.stdoutFile,
    );
    children.push(child);
    await waitForGraphQL(subgraphUrls[name], child);
  }
  log('subgraphs ready');

  const used = [...new Set(sample.map((chosen) => chosen.complainantId))];
  const tokens = await signInAll(subgraphUrls.accounts, used, password);
  log(`${tokens.size} complainants signed in`);
  const mix = distinctMix(MIX_SIZE, sample, tokens);
  const captured = await capture(env, ports.capture, subgraphUrls, [...mix, IDENTICAL_ANONYMOUS]);
  const identicalFetches = captured.pop() as CapturedFetch[];

  const baseline = values.baseline ? exportBaseline(values.baseline, ROOT) : undefined;
  if (baseline) cleanups.push(baseline.remove);
  const gatewayArgs: Record<GatewayTarget, string[]> = {
    ours: [
      ...(values['ours-node-flags']?.split(' ').filter(Boolean) ?? []),
      ...profiling('gateway'),
      here('gateway/main.ts'),
    ],
    uncached: [...profiling('uncached'), here('gateway/main.ts')],
    base: baseline ? [join(baseline.dir, 'gateway/main.ts')] : [],
    hive: [
      ...profiling('hive'),
      here('scripts/bench-gateway/stock-hive.ts'),
      String(ports.hive),
      JSON.stringify(subgraphUrls),
    ],
    apollo: [here('scripts/bench-gateway/stock-apollo.ts'), String(ports.apollo), JSON.stringify(subgraphUrls)],
  };
  const gatewayChild: Partial<Record<GatewayTarget, Child>> = {};
  const inspectPorts: Partial<Record<GatewayTarget, number>> = {};
  for (const target of values['alloc-prof'] ? GATEWAYS : []) {
    inspectPorts[target] = await freePort();
    gatewayArgs[target].unshift(`--inspect=127.0.0.1:${inspectPorts[target]}`);
  }
  for (const target of GATEWAYS) {
    const workers = target === 'ours' && values['gateway-workers'] ? values['gateway-workers'] : '1';
    const gc = gcTracing(target);
    const child = startNode(
      target,
      [...gc.flags, ...gatewayArgs[target]],
      {
        ...env,
        GATEWAY_PORT: String(ports[target]),
        GATEWAY_WORKERS: workers,
        ...(target === 'uncached' ? { RESPONSE_CACHE: 'false' } : {}),
      },
      gc.stdoutFile,
    );
    children.push(child);
    gatewayChild[target] = child;
    await waitForGraphQL(`http://127.0.0.1:${ports[target]}/graphql`, child);
  }
  log('gateways ready');

  const gatewayPool = Object.fromEntries(
    GATEWAYS.map((t) => [t, poolFor(`http://127.0.0.1:${ports[t]}`, CONCURRENCY * 2)]),
  );
  const subgraphPools = Object.fromEntries(
    SUBGRAPHS.map((n) => [n, poolFor(`http://127.0.0.1:${ports[n]}`, CONCURRENCY * 2)]),
  );
  pools.push(...Object.values(gatewayPool), ...Object.values(subgraphPools));
  let fetchTimes: FetchTimes[] | undefined;
  if (values['fetch-times']) {
    const names = mix.map((chosen) => chosen.name);
    await timeFetches(captured, names, subgraphPools); // warms each subgraph's caches and statements
    fetchTimes = await timeFetches(captured, names, subgraphPools);
    for (const f of fetchTimes) log(`fetch ${f.fetch}: p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms (${f.count})`);
  }

  const graphql =
    (requests: BenchRequest[]): Exchange =>
    async (pool, index) => {
      const chosen = requests[index % requests.length];
      const response = await pool.request({
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(chosen.authorization ? { authorization: chosen.authorization } : {}),
        },
        body: chosen.body,
      });
      const text = await response.body.text();
      return response.statusCode === 200 && !text.includes('"errors"');
    };
  const bound =
    (plans: CapturedFetch[][]): Exchange =>
    (_pool, index) =>
      replay(plans[index % plans.length], subgraphPools);
  const modes = {
    distinct: { requests: mix, plans: captured },
    identical: { requests: [IDENTICAL_ANONYMOUS], plans: [identicalFetches] },
  };
  const only = values.only?.split(',');
  const onlyModes = values.modes?.split(',');
  const results: Array<{ round: number; mode: string; target: Target } & LoadResult> = [];
  const allocations: Record<string, Awaited<ReturnType<Awaited<ReturnType<typeof sampleAllocations>>['stop']>>> = {};
  const loadOptions = { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [mode, { requests, plans }] of Object.entries(modes)) {
      if (onlyModes && !onlyModes.includes(mode)) continue;
      for (const target of TARGETS) {
        if (only && !only.includes(target)) continue;
        const pool = target === 'bound' ? subgraphPools.cases : gatewayPool[target];
        const exchange = target === 'bound' ? bound(plans) : graphql(requests);
        const child = target === 'bound' ? undefined : gatewayChild[target];
        const cpuProbe = child ? () => child.cpuMs() : undefined;
        const inspectPort = target === 'bound' ? undefined : inspectPorts[target];
        const sampling =
          inspectPort && mode === 'distinct' && round === 1 ? await sampleAllocations(target, inspectPort) : undefined;
        const result = await closedLoop(pool, exchange, { ...loadOptions, maxRequests: MAX_REQUESTS, cpuProbe });
        if (sampling) allocations[target] = await sampling.stop(result.requests + (result.warmupRequests ?? 0));
        results.push({ round, mode, target, ...result });
        log(
          `round ${round} ${mode} ${target}: ${result.rps} rps, p50 ${result.p50} ms, p99 ${result.p99} ms` +
            (result.cpuMsPerRequest === undefined ? '' : `, gateway CPU ${result.cpuMsPerRequest} ms/request`) +
            (result.failures ? `, ${result.failures} FAILED` : ''),
        );
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  type Figures = { rps: number; p50: number; p99: number; failures: number; cpuMsPerRequest?: number };
  const summary: Record<string, Record<string, Figures>> = {};
  for (const mode of Object.keys(modes)) {
    summary[mode] = {};
    for (const target of TARGETS) {
      const runs = results.filter((r) => r.mode === mode && r.target === target);
      if (runs.length === 0) continue;
      summary[mode][target] = {
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        failures: runs.reduce((sum, r) => sum + r.failures, 0),
        ...(runs[0].cpuMsPerRequest === undefined
          ? {}
          : { cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest ?? Number.NaN)) }),
      };
    }
  }
  type HalfPeak = LoadResult & {
    rate: number;
    bound?: LoadResult;
    base?: LoadResult;
    gcPauses?: Record<string, GcPauses>;
  };
  let halfPeak: HalfPeak | undefined;
  const traces = gcTraces(gcLogs);
  const oursPeak = summary.distinct.ours?.rps;
  if (oursPeak) {
    // The bound's fetches at the same rate say how much of our tail the subgraphs and loopback
    // alone would have; the per-kind figures say which operations make it.
    const rate = Math.max(1, Math.round(oursPeak / 2));
    const openOptions = {
      rate,
      seconds: SECONDS * 2,
      maxInFlight: 256,
      kindOf: (i: number) => mix[i % mix.length].name,
    };
    const gcFrom = traces.mark();
    halfPeak = { rate, ...(await openLoop(gatewayPool.ours, graphql(mix), openOptions)) };
    if (values['trace-gc']) halfPeak.gcPauses = traces.summarise(gcFrom);
    log(`ours at half its peak (${rate}/s, open loop): p50 ${halfPeak.p50} ms, p99 ${halfPeak.p99} ms`);
    if (gatewayPool.base && (!only || only.includes('base'))) {
      halfPeak.base = await openLoop(gatewayPool.base, graphql(mix), openOptions);
      log(`baseline at the same rate: p50 ${halfPeak.base.p50} ms, p99 ${halfPeak.base.p99} ms`);
    }
    if (!only || only.includes('bound')) {
      halfPeak.bound = await openLoop(subgraphPools.cases, bound(captured), openOptions);
      log(`bound at the same rate: p50 ${halfPeak.bound.p50} ms, p99 ${halfPeak.bound.p99} ms`);
    }
  }
  const ratio = (mode: string, other: string, of = 'ours') => {
    const ours = summary[mode]?.[of]?.rps;
    const them = summary[mode]?.[other]?.rps;
    return ours && them ? Math.round((ours / them) * 100) / 100 : null;
  };
  const ratios = Object.fromEntries(
    Object.keys(modes).map((mode) => [
      mode,
      {
        oursOverApollo: ratio(mode, 'apollo'),
        oursOverHive: ratio(mode, 'hive'),
        oursOverBound: ratio(mode, 'bound'),
        uncachedOverApollo: ratio(mode, 'apollo', 'uncached'),
        uncachedOverHive: ratio(mode, 'hive', 'uncached'),
        uncachedOverBound: ratio(mode, 'bound', 'uncached'),
        oursOverUncached: ratio(mode, 'uncached'),
        ...(values.baseline ? { oursOverBaseline: ratio(mode, 'base') } : {}),
      },
    ]),
  );
  const report = {
    date: new Date().toISOString(),
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
    },
    baseline: baseline ? { ref: values.baseline, commit: baseline.commit } : undefined,
    command: `node scripts/bench-gateway.ts ${process.argv.slice(2).join(' ')}`.trim(),
    scale,
    seedSeconds: Math.round(seedSeconds),
    load: { concurrency: CONCURRENCY, seconds: SECONDS, rounds: ROUNDS, mixSize: MIX_SIZE },
    gatewayWorkers: Number(values['gateway-workers'] ?? 1),
    fetchesPerOperation: fetchCounts(mix, captured),
    summary,
    ratios,
    halfPeak,
    fetchTimes,
    allocations: values['alloc-prof'] ? allocations : undefined,
    runs: results,
  };
  const out = values.out ?? here(`bench-results/gateway-${report.date.slice(0, 16).replace(':', '')}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printMarkdown(report);
  log(`wrote ${out}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  started = 0;
}

/**
 * Samples a gateway's allocations over the inspector, over a closed loop's warm-up and measured part
 * (`stop` takes the requests of both): bytes per request and the 25 frames that allocate most.
 */
async function sampleAllocations(target: string, port: number) {
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const inspector = await connectInspector(list[0].webSocketDebuggerUrl);
  const stopSampling = await inspector.sampleAllocations();
  return {
    async stop(requests: number) {
      const frames = await stopSampling();
      inspector.close();
      const total = frames.reduce((sum, frame) => sum + frame.bytes, 0);
      const perRequestKiB = (bytes: number) => Math.round((bytes / requests / 1024) * 10) / 10;
      const top = frames.slice(0, 25).map((frame) => ({ ...frame, kibPerRequest: perRequestKiB(frame.bytes) }));
      log(`${target} allocated about ${perRequestKiB(total)} KiB per request (${requests} requests, sampled)`);
      for (const frame of top.slice(0, 15)) log(`  ${frame.kibPerRequest} KiB/request  ${frame.frame}`);
      return { kibPerRequest: perRequestKiB(total), requests, top };
    },
  };
}

/** Each operation once through a gateway of ours whose subgraphs sit behind recording proxies. */
async function capture(
  env: NodeJS.ProcessEnv,
  port: number,
  subgraphUrls: Record<string, string>,
  requests: BenchRequest[],
): Promise<CapturedFetch[][]> {
  const recorder = await recordingProxies(subgraphUrls);
  const child = startNode('capture gateway', [here('gateway/main.ts')], {
    ...env,
    GATEWAY_PORT: String(port),
    GATEWAY_WORKERS: '1',
    // Every operation's own fetches: a cached answer (a page repeated in the mix) would record none.
    RESPONSE_CACHE: 'false',
    DIRECTORY_URL: recorder.urls.directory,
    CASES_URL: recorder.urls.cases,
    REPUTATION_URL: recorder.urls.reputation,
    ACCOUNTS_URL: recorder.urls.accounts,
  });
  const pool = poolFor(`http://127.0.0.1:${port}`, 1);
  try {
    await waitForGraphQL(`http://127.0.0.1:${port}/graphql`, child);
    recorder.take();
    const plans: CapturedFetch[][] = [];
    const failed = new Map<string, string>();
    for (const chosen of requests) {
      const response = await pool.request({
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(chosen.authorization ? { authorization: chosen.authorization } : {}),
        },
        body: chosen.body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) failed.set(chosen.name, text.slice(0, 300));
      plans.push(recorder.take());
    }
    if (failed.size) throw new Error(`the mix has failing operations: ${JSON.stringify([...failed])}`);
    log(`captured ${plans.reduce((n, p) => n + p.length, 0)} subgraph fetches for ${plans.length} operations`);
    return plans;
  } finally {
    await pool.close();
    await child.stop();
    await recorder.close();
  }
}

function fetchCounts(mix: BenchRequest[], plans: CapturedFetch[][]): Record<string, string> {
  const counts: Record<string, Set<number>> = {};
  mix.forEach((chosen, i) => {
    counts[chosen.name] ??= new Set();
    counts[chosen.name].add(plans[i].length);
  });
  return Object.fromEntries(Object.entries(counts).map(([name, set]) => [name, [...set].sort().join(' or ')]));
}

function printMarkdown(report: {
  summary: Record<
    string,
    Record<string, { rps: number; p50: number; p99: number; failures: number; cpuMsPerRequest?: number }>
  >;
  ratios: Record<string, Record<string, number | null>>;
  halfPeak?: LoadResult & { rate: number; bound?: LoadResult; base?: LoadResult; gcPauses?: Record<string, GcPauses> };
}) {
  for (const [mode, targets] of Object.entries(report.summary)) {
    if (Object.keys(targets).length === 0) continue;
    console.log(`\n${mode} (median of ${ROUNDS} rounds, ${CONCURRENCY} in flight, ${SECONDS} s each)\n`);
    console.log('| target | RPS | p50 ms | p99 ms | gateway CPU ms/request | failures |\n|---|---|---|---|---|---|');
    for (const [target, f] of Object.entries(targets)) {
      console.log(`| ${target} | ${f.rps} | ${f.p50} | ${f.p99} | ${f.cpuMsPerRequest ?? '–'} | ${f.failures} |`);
    }
    const r = report.ratios[mode];
    console.log(
      `\nours/Apollo ${r.oursOverApollo}, ours/Hive ${r.oursOverHive}, ours/bound ${r.oursOverBound}` +
        (r.oursOverBaseline ? `, ours/baseline ${r.oursOverBaseline}` : '') +
        `\nuncached/Apollo ${r.uncachedOverApollo}, uncached/Hive ${r.uncachedOverHive}, ` +
        `uncached/bound ${r.uncachedOverBound}, ours/uncached ${r.oursOverUncached}`,
    );
  }
  if (report.halfPeak) {
    const h = report.halfPeak;
    console.log(`\nours at ${h.rate}/s (half its peak): p50 ${h.p50} ms, p99 ${h.p99} ms, ${h.failures} failures`);
    console.log('\n| at half peak, open loop | requests | ours p50 ms | ours p99 ms | bound p50 ms | bound p99 ms |');
    console.log('|---|---|---|---|---|---|');
    const row = (kind: string, ours?: { requests: number; p50: number; p99: number }, bound?: typeof ours) =>
      console.log(
        `| ${kind} | ${ours?.requests ?? '–'} | ${ours?.p50 ?? '–'} | ${ours?.p99 ?? '–'} | ` +
          `${bound?.p50 ?? '–'} | ${bound?.p99 ?? '–'} |`,
      );
    row('all', h, h.bound);
    for (const [kind, figures] of Object.entries(h.byKind ?? {})) row(kind, figures, h.bound?.byKind?.[kind]);
    if (h.base) {
      console.log(`baseline at the same rate: p50 ${h.base.p50} ms, p99 ${h.base.p99} ms, ${h.base.failures} failures`);
    }
    if (h.gcPauses) {
      console.log(
        '\n| GC during ours at half peak | collections | ≥ 10 ms | longest ms | total ms |\n|---|---|---|---|---|',
      );
      for (const [name, p] of Object.entries(h.gcPauses)) {
        console.log(`| ${name} | ${p.collections} | ${p.over10ms} | ${p.maxMs} | ${p.totalMs} |`);
      }
    }
  }
}

try {
  await main();
} finally {
  for (const pool of pools) await pool.close();
  for (const child of children.reverse()) await child.stop();
  for (const cleanup of cleanups) cleanup();
  rmSync(dataDir, { recursive: true, force: true });
}
