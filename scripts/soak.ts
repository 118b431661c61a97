/**
 * `npm run soak [-- --seconds N] [--json] [--heap-snapshots DIR]`: the graph as five processes on
 * loopback (four subgraphs and the gateway, over a fresh data directory), a brief closed-loop run to
 * measure peak throughput, then N seconds (default 60) at about 70% of it, mixed reads and writes
 * through the gateway. Reports errors, the p50/p99 latency, each process's memory growth after
 * warm-up (the first fifth of the run), and whether every acknowledged write is there afterwards.
 *
 * Memory growth is measured after a full garbage collection (each part runs under the inspector on
 * loopback, which the soak asks to collect): sampled RSS mostly tells when V8 last ran a major GC.
 * In a 180 s run the gateway's sampled RSS went 402 MiB → 187 MiB at one forced GC and climbed back
 * to 464 MiB, while its heap in use after GC stayed at 48-52 MiB and heap snapshots showed no kind
 * of object growing (RELIABILITY.md, "Soak"). The sampled RSS is still reported. Stops by itself;
 * exits 1 on an error, a missing write, or (runs of 60 s or more) RSS after GC growing over 10%.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { issueToken } from '../platform/auth.ts';
import { loadConfig } from '../platform/config.ts';
import { connectInspector, type HeapAfterGc, type Inspector, inspectorUrlIn } from './inspector-client.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PARTS = {
  // accounts first: the other parts verify tokens against its keys.
  accounts: 'subgraphs/accounts/main.ts',
  directory: 'subgraphs/directory/main.ts',
  cases: 'subgraphs/cases/main.ts',
  reputation: 'subgraphs/reputation/main.ts',
  gateway: 'gateway/main.ts',
} as const;
type Part = keyof typeof PARTS;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
    // A heap snapshot of each part written into this directory at the end of warm-up and at the end.
    'heap-snapshots': { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const PEAK_SECONDS = Math.min(5, Math.max(2, SECONDS / 10));
const LOAD_SHARE = 0.7;
const WRITE_SHARE = 0.2;
const PEAK_CONCURRENCY = 16;
/** At the target rate no more than this many requests wait at once; past it the run is overloaded. */
const MAX_IN_FLIGHT = 64;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<typeof server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`a part exited during start-up:\n${output()}`);
    try {
      const response = await request(new URL('/readyz', url));
      await response.body.text();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready within 30 s:\n${output()}`);
}

/** Each part's memory after a full GC at the end of warm-up and at the end: RSS and V8's heap in use. */
function afterGcGrowth(measured: Record<string, Record<Part, HeapAfterGc>>) {
  const { warm, end } = measured;
  const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
  const growth = (from: number, to: number) => +((to - from) / from).toFixed(3);
  return Object.fromEntries(
    (Object.keys(PARTS) as Part[]).map((part) => {
      const [before, after] = [warm?.[part], end?.[part]];
      if (!before || !after) throw new Error(`no memory measured after GC for ${part}`);
      return [
        part,
        {
          rssWarmMiB: mib(before.rss),
          rssEndMiB: mib(after.rss),
          rssGrowth: growth(before.rss, after.rss),
          heapUsedWarmMiB: mib(before.heapUsed),
          heapUsedEndMiB: mib(after.heapUsed),
          heapUsedGrowth: growth(before.heapUsed, after.heapUsed),
        },
      ];
    }),
  ) as Record<
    Part,
    {
      rssWarmMiB: number;
      rssEndMiB: number;
      rssGrowth: number;
      heapUsedWarmMiB: number;
      heapUsedEndMiB: number;
      heapUsedGrowth: number;
    }
  >;
}

if (args['heap-snapshots']) mkdirSync(args['heap-snapshots'], { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-soak-'));
const [gatewayPort, accountsPort, directoryPort, casesPort, reputationPort] = await freePorts(5);
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  SEED_DEMO: 'true',
  SCHEDULER_ENABLED: 'false',
  CRAWL_ENABLED: 'false',
  GATEWAY_PORT: String(gatewayPort),
  ACCOUNTS_PORT: String(accountsPort),
  DIRECTORY_PORT: String(directoryPort),
  CASES_PORT: String(casesPort),
  REPUTATION_PORT: String(reputationPort),
  // One address and a handful of subjects send everything: the per-client rate limit is set out of
  // the way (still counted on every request), as RELIABILITY.md and BENCHMARKS.md say.
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
  RATE_LIMIT_SIGNED_IN_PER_MINUTE: '100000000',
};
const ports: Record<Part, number> = {
  accounts: accountsPort as number,
  directory: directoryPort as number,
  cases: casesPort as number,
  reputation: reputationPort as number,
  gateway: gatewayPort as number,
};
const children = {} as Record<Part, ChildProcess>;
const inspectors = {} as Record<Part, Inspector>;
let logs = '';
const stopAll = async () => {
  // First: a process with a debugger attached waits for it to go before exiting.
  for (const inspector of Object.values(inspectors)) inspector.close();
  await Promise.all(
    Object.values(children).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(dataDir, { recursive: true, force: true });
};

try {
  for (const part of Object.keys(PARTS) as Part[]) {
    // Port 0: the inspector takes a free loopback port and prints its URL.
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', PARTS[part]], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let own = '';
    child.stdout?.on('data', (chunk) => (logs += chunk));
    child.stderr?.on('data', (chunk) => {
      logs += chunk;
      own += chunk;
    });
    children[part] = child;
    await waitReady(`http://127.0.0.1:${ports[part]}`, child, () => logs);
    const inspectorUrl = inspectorUrlIn(own);
    if (!inspectorUrl) throw new Error(`${part} printed no inspector URL:\n${own}`);
    inspectors[part] = await connectInspector(inspectorUrl);
  }
  /** Each part's memory after a full GC (and a snapshot with --heap-snapshots), labelled `when`. */
  const heapAfterGc: Record<string, Record<Part, HeapAfterGc>> = {};
  const measureHeaps = async (when: string) => {
    const measured = {} as Record<Part, HeapAfterGc>;
    for (const part of Object.keys(PARTS) as Part[]) {
      measured[part] = await inspectors[part].heapAfterGc();
      const directory = args['heap-snapshots'];
      if (directory) await inspectors[part].writeHeapSnapshot(join(directory, `${part}-${when}.heapsnapshot`));
    }
    heapAfterGc[when] = measured;
  };
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  const secret = loadConfig({}).AUTH_SECRET;
  const complainant = await issueToken(secret, { id: 'soak-complainant', role: 'complainant' });
  const staff = await issueToken(secret, { id: 'soak-staff', role: 'staff' });
  const agent = new Agent({ connections: MAX_IN_FLIGHT, keepAliveTimeout: 30_000 });

  const acknowledged: string[] = [];
  let written = 0;
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await request(gatewayUrl, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.body.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (response.statusCode !== 200 || body.errors) {
      throw new Error(`HTTP ${response.statusCode}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
    }
    return body.data ?? {};
  };
  const READS: Array<() => Promise<unknown>> = [
    () => post('{ channels { id kind } }', {}),
    () => post('query($t: String!) { searchEnterprises(text: $t, first: 5) { id name } }', { t: '商贸' }),
    () => post('{ myCases(first: 10) { edges { node { id status version } } } }', {}, complainant),
    () => {
      const id = acknowledged[Math.floor(Math.random() * acknowledged.length)];
      if (id === undefined) return post('{ channels { id } }', {});
      const query = 'query($id: ID!) { case(id: $id) { id status timeline { type } respondent { id name } } }';
      return post(query, { id }, complainant);
    },
  ];
  const write = async () => {
    const n = written++;
    const data = await post(
      'mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }',
      {
        input: {
          complainant: { name: '李四', phone: '13800138000' },
          respondent: { name: `浸泡测试商贸有限公司${n % 13}`, address: '浙江省义乌市江东街道' },
          industry: 'ECOMMERCE',
          issueType: 'REFUND',
          title: `Soak filing ${n}`,
          description: `第${n}号投诉：商家收到退货后拒绝退款，客服电话无人接听，已多次联系未果。`,
          demands: '退还货款',
          amount: 100 + (n % 50),
          occurredOn: '2026-11-01',
          idempotencyKey: `soak-${process.pid}-${n}`,
        },
      },
      complainant,
    );
    acknowledged.push((data.submitCase as { id: string }).id);
  };
  const operation = () =>
    Math.random() < WRITE_SHARE
      ? write()
      : (READS[Math.floor(Math.random() * READS.length)] as () => Promise<unknown>)();

  // Peak: as many as PEAK_CONCURRENCY loops manage, back to back.
  let peakDone = 0;
  const peakEnd = performance.now() + PEAK_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: PEAK_CONCURRENCY }, async () => {
      while (performance.now() < peakEnd) {
        await operation();
        peakDone++;
      }
    }),
  );
  const peak = peakDone / PEAK_SECONDS;
  const rate = peak * LOAD_SHARE;

  // The soak: open loop at `rate`, one request every 1/rate s, whatever the answers do.
  const latencies: number[] = [];
  const errors: string[] = [];
  let inFlight = 0;
  let overloaded = 0;
  const rss: Record<Part, number[]> = { accounts: [], directory: [], cases: [], reputation: [], gateway: [] };
  const sample = () => {
    for (const part of Object.keys(PARTS) as Part[]) rss[part].push(rssBytes(children[part].pid as number));
  };
  sample();
  const sampler = setInterval(sample, 1000);
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  let issued = 0;
  const warmUpEnd = new Promise<void>((resolve) => setTimeout(resolve, (SECONDS * 1000) / 5)).then(() =>
    measureHeaps('warm'),
  );
  while (performance.now() - started < SECONDS * 1000) {
    const due = started + (issued * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    issued++;
    if (inFlight >= MAX_IN_FLIGHT) {
      overloaded++;
      continue;
    }
    inFlight++;
    const began = performance.now();
    const done = operation()
      .then(
        () => void latencies.push(performance.now() - began),
        (error: Error) => void errors.push(error.message),
      )
      .finally(() => {
        inFlight--;
        pending.delete(done);
      });
    pending.add(done);
  }
  await Promise.all(pending);
  clearInterval(sampler);
  sample();
  await warmUpEnd;
  await measureHeaps('end');

  // Every acknowledged write, read back as staff, 25 to a query (the alias limit is 30).
  let missing = 0;
  for (let at = 0; at < acknowledged.length; at += 25) {
    const ids = acknowledged.slice(at, at + 25);
    const query = `{ ${ids.map((id, n) => `c${n}: case(id: ${JSON.stringify(id)}) { id }`).join(' ')} }`;
    const data = await post(query, {}, staff).catch((error: Error) => {
      errors.push(`reading back: ${error.message}`);
      return {} as Record<string, unknown>;
    });
    missing += ids.filter((id, n) => (data[`c${n}`] as { id?: string } | null)?.id !== id).length;
  }

  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  const warmIndex = Math.max(1, Math.floor(rss.gateway.length / 5));
  const memory = Object.fromEntries(
    (Object.keys(PARTS) as Part[]).map((part) => {
      const series = rss[part];
      const warm = series[warmIndex] ?? series[0] ?? 0;
      const last = series.at(-1) ?? 0;
      const max = Math.max(...series);
      return [
        part,
        {
          warmMiB: +(warm / 2 ** 20).toFixed(1),
          endMiB: +(last / 2 ** 20).toFixed(1),
          maxMiB: +(max / 2 ** 20).toFixed(1),
          growth: +((last - warm) / warm).toFixed(3),
          everyTenSecondsMiB: series.filter((_, n) => n % 10 === 0).map((bytes) => Math.round(bytes / 2 ** 20)),
        },
      ];
    }),
  ) as Record<Part, { warmMiB: number; endMiB: number; maxMiB: number; growth: number; everyTenSecondsMiB: number[] }>;
  const afterGc = afterGcGrowth(heapAfterGc);
  const report = {
    seconds: SECONDS,
    peakPerSecond: Math.round(peak),
    targetPerSecond: Math.round(rate),
    requests: latencies.length + errors.length,
    skippedOverloaded: overloaded,
    errors: errors.length,
    firstErrors: errors.slice(0, 5),
    p50Ms: +percentile(0.5).toFixed(1),
    p99Ms: +percentile(0.99).toFixed(1),
    writesAcknowledged: acknowledged.length,
    writesMissing: missing,
    memory,
    afterGc,
  };
  const tooMuchGrowth = SECONDS >= 60 && Object.values(afterGc).some((part) => part.rssGrowth > 0.1);
  if (args.json) console.log(JSON.stringify(report));
  else {
    console.log(
      `soak: ${SECONDS} s at ${report.targetPerSecond}/s (70% of a measured peak of ${report.peakPerSecond}/s)`,
    );
    console.log(`requests ${report.requests}, errors ${report.errors}, p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms`);
    console.log(`writes acknowledged ${report.writesAcknowledged}, missing afterwards ${report.writesMissing}`);
    const percent = (growth: number) => `${(growth * 100).toFixed(1)}%`;
    for (const [part, m] of Object.entries(afterGc)) {
      const sampled = memory[part as Part];
      console.log(
        `${part}: after a full GC, RSS ${m.rssWarmMiB} → ${m.rssEndMiB} MiB (${percent(m.rssGrowth)}), ` +
          `heap used ${m.heapUsedWarmMiB} → ${m.heapUsedEndMiB} MiB (${percent(m.heapUsedGrowth)}); ` +
          `sampled RSS ${sampled.warmMiB} → ${sampled.endMiB} MiB (${percent(sampled.growth)}, max ${sampled.maxMiB})`,
      );
    }
    for (const error of report.firstErrors) console.log(`error: ${error}`);
  }
  await agent.close();
  process.exitCode = report.errors > 0 || report.writesMissing > 0 || tooMuchGrowth ? 1 : 0;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopAll();
}
