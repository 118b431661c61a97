/**
 * `npm run soak`, the 10 s version (issue 18): four processes on loopback, 70% of measured peak,
 * mixed reads and writes through the gateway. No request may fail and every acknowledged write
 * must be there afterwards; memory growth (RSS after a full GC) is only checked loosely at 10 s (the
 * 60 s run in RELIABILITY.md holds it under 10%).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/process.ts';

interface SoakReport {
  requests: number;
  errors: number;
  firstErrors: string[];
  p99Ms: number;
  writesAcknowledged: number;
  writesMissing: number;
  memory: Record<string, { growth: number }>;
  afterGc: Record<string, { rssGrowth: number; heapUsedGrowth: number }>;
}

test('10 s at 70% of peak: no errors, every acknowledged write present, no runaway memory', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/soak.ts', '--seconds', '10', '--json'], {
    cwd: REPO_ROOT,
    timeout: 90_000,
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as SoakReport;
  expect(report.firstErrors).toEqual([]);
  expect(report.errors).toBe(0);
  expect(report.requests).toBeGreaterThan(100);
  expect(report.writesAcknowledged).toBeGreaterThan(10);
  expect(report.writesMissing).toBe(0);
  expect(Object.keys(report.memory).sort()).toEqual(['accounts', 'cases', 'directory', 'gateway', 'reputation']);
  expect(Object.keys(report.afterGc).sort()).toEqual(['accounts', 'cases', 'directory', 'gateway', 'reputation']);
  for (const [part, { rssGrowth, heapUsedGrowth }] of Object.entries(report.afterGc))
    expect({ part, runaway: rssGrowth > 0.5 || heapUsedGrowth > 0.5 }).toEqual({ part, runaway: false });
}, 120_000);
