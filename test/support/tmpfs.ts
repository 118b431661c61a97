import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real full and read-only disks for storage tests: small tmpfs mounts. Mounting needs root in a
 * container that allows it; `TMPFS_UNAVAILABLE` says why not (tests skip with it), or is null.
 * Mount in `beforeAll` and unmount in `afterAll` of the describe block that uses the mount, so a
 * run that filters its tests out (`-t`) mounts nothing it would not unmount.
 */
export const TMPFS_UNAVAILABLE: string | null = probe();

function probe(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'weiquan-tmpfs-probe-'));
  try {
    mountTmpfs(dir, '64k');
    unmountTmpfs(dir);
    return null;
  } catch (error) {
    return `cannot mount a tmpfs here (${String((error as Error).message).split('\n')[0]})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
}

/** Lazy, so a handle a failed test left open does not keep the mount (and the next run's tmp dir) busy. */
export function unmountTmpfs(dir: string): void {
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
}

/** `describe`, or `describe.skip` with the reason printed when no tmpfs can be mounted. */
export function describeOnTmpfs(name: string, body: () => void): void {
  if (TMPFS_UNAVAILABLE) console.warn(`skipped "${name}": ${TMPFS_UNAVAILABLE}`);
  (TMPFS_UNAVAILABLE ? describe.skip : describe)(name, body);
}
