/**
 * Two gateways' CPU profiles side by side, per request: where one spends more than the other.
 *
 *   node scripts/bench-gateway/compare-profiles.ts A.cpuprofile:<requests> B.cpuprofile:<requests> [--top 30]
 *
 * `<requests>` is how many requests that process answered while profiled (measured and warm-up, from
 * the run's JSON). Only the load windows count: everything before the process's first idle stretch
 * of a second or more (module loading, the planner's start-up) is left out, since it is paid once,
 * not per request. For each function (name and file) it prints self and inclusive (self plus
 * callees, each sample counted once) time in microseconds per request for A and B and their
 * difference, largest first; then the same by package.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Profile, ProfileNode } from './cpu-profile.ts';

const STARTUP_IDLE_GAP_US = 1_000_000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
});
if (positionals.length !== 2)
  throw new Error('usage: compare-profiles.ts A.cpuprofile:<requests> B.cpuprofile:<requests>');

const packageOf = (url: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith('node:') || url === '') return url || '(native)';
  return url.includes('/work/') ? '(ours)' : url;
};
const frameKey = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) => {
  const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(gateway|platform|subgraphs)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
};

interface Totals {
  selfUs: Map<string, number>;
  inclusiveUs: Map<string, number>;
  packageUs: Map<string, number>;
  busyUs: number;
  requests: number;
}

function totalsOf(argument: string): Totals {
  const at = argument.lastIndexOf(':');
  const [file, requests] = [argument.slice(0, at), Number(argument.slice(at + 1))];
  if (!Number.isFinite(requests) || requests <= 0) throw new Error(`${argument}: expected <file>:<requests>`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const isIdle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';

  // The first idle stretch of STARTUP_IDLE_GAP_US ends the start-up.
  let first = 0;
  let idleRun = 0;
  for (const [i, id] of profile.samples.entries()) {
    if (!isIdle(id)) {
      idleRun = 0;
      continue;
    }
    idleRun += profile.timeDeltas[i] ?? 0;
    if (idleRun >= STARTUP_IDLE_GAP_US) {
      first = i;
      break;
    }
  }
  const totals: Totals = {
    selfUs: new Map(),
    inclusiveUs: new Map(),
    packageUs: new Map(),
    busyUs: 0,
    requests,
  };
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  for (let i = first; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    // A sample's time is the delta to the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (isIdle(id)) continue;
    totals.busyUs += us;
    const node = byId.get(id);
    if (!node) continue;
    add(totals.selfUs, frameKey(node.callFrame), us);
    add(totals.packageUs, packageOf(node.callFrame.url), us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = frameKey((byId.get(at) as ProfileNode).callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(totals.inclusiveUs, key, us);
    }
  }
  return totals;
}

const [a, b] = positionals.map(totalsOf);
const perRequest = (totals: Totals, us: number | undefined) => (us ?? 0) / totals.requests;
const top = Number(values.top);
const fmt = (us: number) => us.toFixed(0);

console.log(
  `busy per request: A ${fmt(perRequest(a, a.busyUs))} µs, B ${fmt(perRequest(b, b.busyUs))} µs ` +
    `(A ${(a.busyUs / 1e6).toFixed(1)} s over ${a.requests} requests, ` +
    `B ${(b.busyUs / 1e6).toFixed(1)} s over ${b.requests})`,
);
const table = (title: string, of: (t: Totals) => Map<string, number>) => {
  const keys = new Set([...of(a).keys(), ...of(b).keys()]);
  const rows = [...keys].map((key) => {
    const [ua, ub] = [perRequest(a, of(a).get(key)), perRequest(b, of(b).get(key))];
    return { key, ua, ub, diff: ua - ub };
  });
  console.log(`\n${title}: µs per request, A − B largest first\n| A µs | B µs | A − B | frame |\n|---|---|---|---|`);
  for (const row of rows.sort((x, y) => y.diff - x.diff).slice(0, top)) {
    console.log(`| ${fmt(row.ua)} | ${fmt(row.ub)} | ${fmt(row.diff)} | ${row.key} |`);
  }
};
table('Self time by function', (t) => t.selfUs);
table('Inclusive time by function', (t) => t.inclusiveUs);
table('Self time by package', (t) => t.packageUs);
