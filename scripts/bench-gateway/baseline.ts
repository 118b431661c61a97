/**
 * Our gateway as of an earlier commit, for measuring a change before and after in the same run:
 * the gateway's sources at that commit (`git archive`, which leaves the repository untouched) in a
 * temporary directory that shares this checkout's `node_modules`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PATHS = ['package.json', 'gateway', 'platform', 'schema'];

export function exportBaseline(ref: string, root: string): { dir: string; commit: string; remove(): void } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'weiquan-bench-baseline-'));
  const archive = execFileSync('git', ['archive', '--format=tar', commit, ...PATHS], { cwd: root, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { dir, commit, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
