/**
 * Where a process's time went: the functions with the most self time in a V8 CPU profile
 * (`--cpu-prof`), grouped by function and file, and the packages they belong to.
 *
 *   node scripts/bench-gateway/top-frames.ts bench-results/profiles/gateway-….cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Profile } from './cpu-profile.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const packageOf = (url: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith('node:') || url === '') return url || '(native/idle)';
  return url.includes('/work/') ? '(ours)' : url;
};
const frames = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, time] of self) {
  const { functionName, url, lineNumber } = byId.get(id)?.callFrame ?? { functionName: '?', url: '', lineNumber: 0 };
  const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(gateway|platform|subgraphs)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
  frames.set(key, (frames.get(key) ?? 0) + time);
  const pkg = packageOf(url);
  packages.set(pkg, (packages.get(pkg) ?? 0) + time);
}
const show = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}\n| self % | ms | frame |\n|---|---|---|`);
  for (const [key, time] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`| ${((100 * time) / total).toFixed(1)} | ${Math.round(time / 1000)} | ${key} |`);
  }
};
show('Functions by self time', frames);
show('Packages by self time', packages);
