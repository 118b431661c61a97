/**
 * Garbage-collection pauses of the benchmark's processes, read from V8's `--trace-gc` lines (one
 * per collection: `… ms: Scavenge 4.8 (5.8) -> 4.5 (6.8) MB, pooled: 0 MB, 2.06 / 0.00 ms …`; the
 * first figure after the sizes is the pause on the main thread). A tail latency far above the
 * median is either queueing or a pause; this says which processes paused, how often and how long,
 * over a window of the run (from `mark()` to `summarise()`).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface GcPauses {
  collections: number;
  /** Collections that held the main thread for 10 ms or more. */
  over10ms: number;
  maxMs: number;
  totalMs: number;
}

const LINE =
  /ms: ([A-Za-z -]+?)(?: \([^)]*\))? [\d.]+ \([\d.]+\) -> [\d.]+ \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \//;

export function gcTraces(files: Record<string, string>) {
  return {
    /** Where each file ends now: the start of a window. */
    mark(): Record<string, number> {
      return Object.fromEntries(Object.entries(files).map(([name, file]) => [name, sizeOf(file)]));
    },
    /** The pauses each process logged since `from`. */
    summarise(from: Record<string, number>): Record<string, GcPauses> {
      return Object.fromEntries(
        Object.entries(files).map(([name, file]) => [name, pausesIn(readFrom(file, from[name] ?? 0))]),
      );
    },
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  const length = Math.max(0, sizeOf(file) - offset);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

export function pausesIn(text: string): GcPauses {
  const pauses = text
    .split('\n')
    .map((line) => LINE.exec(line))
    .filter((match) => match !== null)
    .map((match) => Number(match[2]));
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    collections: pauses.length,
    over10ms: pauses.filter((ms) => ms >= 10).length,
    maxMs: round(Math.max(0, ...pauses)),
    totalMs: round(pauses.reduce((sum, ms) => sum + ms, 0)),
  };
}
