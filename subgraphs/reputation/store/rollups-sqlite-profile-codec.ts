import { endianness } from 'node:os';
import type { DelayColumns, RangeFigures, SourceDayCounts } from '../domain/profile.ts';
import { REPUTATION_WINDOWS } from '../domain/windows.ts';

/**
 * The binary layout of one stored year of an enterprise's statistics profile (a SQLite BLOB,
 * one per row: SQLite hands every blob out as a buffer of its own, ~2 µs each). Columns, widest
 * first so every typed view is aligned:
 *
 *   uint32 b, uint32 n                       bucket and delay counts
 *   float64 satisfactionSum[b]
 *   float64 replyMs[n]                       sorted ascending (with day and source as tie-breaks)
 *   int32   day[b]
 *   int32   counts[4b]                       complaints, replied, completed, satisfactionCount per bucket
 *   int32   delayDay[n]
 *   uint8   source[b]
 *   uint8   delaySource[n]
 *
 * 29 bytes a bucket and 13 a delay. Typed arrays use the platform's byte order; every platform
 * Node supports in production is little-endian, and a big-endian one is refused rather than
 * allowed to misread stored rollups.
 */
if (endianness() !== 'LE') throw new Error('the statistics rollup codec assumes a little-endian platform');

const HEADER = 8;

function layout(b: number, n: number) {
  const satisfactionSum = HEADER;
  const replyMs = satisfactionSum + 8 * b;
  const day = replyMs + 8 * n;
  const counts = day + 4 * b;
  const delayDay = counts + 16 * b;
  const source = delayDay + 4 * n;
  const delaySource = source + b;
  return { satisfactionSum, replyMs, day, counts, delayDay, source, delaySource, size: delaySource + n };
}

/**
 * The bytes as an 8-byte-aligned buffer: typed views need alignment. SQLite's blobs come in a
 * buffer of their own (offset 0) and are viewed as they are; only a misaligned slice is copied.
 */
function aligned(bytes: Uint8Array): { buffer: ArrayBufferLike; offset: number } {
  if (bytes.byteOffset % 8 === 0) return { buffer: bytes.buffer, offset: bytes.byteOffset };
  return { buffer: bytes.slice().buffer, offset: 0 };
}

export function encodeYear(buckets: readonly SourceDayCounts[], delays: DelayColumns): Uint8Array {
  const b = buckets.length;
  const n = delays.replyMs.length;
  const at = layout(b, n);
  const out = new Uint8Array(at.size);
  const header = new Uint32Array(out.buffer, 0, 2);
  header[0] = b;
  header[1] = n;
  const satisfactionSum = new Float64Array(out.buffer, at.satisfactionSum, b);
  const day = new Int32Array(out.buffer, at.day, b);
  const counts = new Int32Array(out.buffer, at.counts, 4 * b);
  const source = new Uint8Array(out.buffer, at.source, b);
  buckets.forEach((bucket, i) => {
    satisfactionSum[i] = bucket.satisfactionSum;
    day[i] = bucket.day;
    counts[4 * i] = bucket.complaints;
    counts[4 * i + 1] = bucket.replied;
    counts[4 * i + 2] = bucket.completed;
    counts[4 * i + 3] = bucket.satisfactionCount;
    source[i] = bucket.source;
  });
  out.set(new Uint8Array(delays.replyMs.buffer, delays.replyMs.byteOffset, 8 * n), at.replyMs);
  out.set(new Uint8Array(delays.day.buffer, delays.day.byteOffset, 4 * n), at.delayDay);
  out.set(delays.source.subarray(0, n), at.delaySource);
  return out;
}

export function decodeYear(bytes: Uint8Array): { buckets: SourceDayCounts[]; delays: DelayColumns } {
  if (bytes.byteLength < HEADER) throw new Error(`corrupt statistics blob: ${bytes.byteLength} bytes`);
  const { buffer, offset } = aligned(bytes);
  const [b, n] = new Uint32Array(buffer, offset, 2);
  const at = layout(b, n);
  if (bytes.byteLength !== at.size)
    throw new Error(`corrupt statistics blob: ${bytes.byteLength} bytes for ${b} buckets and ${n} delays`);
  const satisfactionSum = new Float64Array(buffer, offset + at.satisfactionSum, b);
  const day = new Int32Array(buffer, offset + at.day, b);
  const counts = new Int32Array(buffer, offset + at.counts, 4 * b);
  const source = new Uint8Array(buffer, offset + at.source, b);
  const buckets: SourceDayCounts[] = new Array(b);
  for (let i = 0; i < b; i++) {
    buckets[i] = {
      day: day[i],
      source: source[i],
      complaints: counts[4 * i],
      replied: counts[4 * i + 1],
      completed: counts[4 * i + 2],
      satisfactionSum: satisfactionSum[i],
      satisfactionCount: counts[4 * i + 3],
    };
  }
  return {
    buckets,
    delays: {
      replyMs: new Float64Array(buffer, offset + at.replyMs, n),
      day: new Int32Array(buffer, offset + at.delayDay, n),
      source: new Uint8Array(buffer, offset + at.delaySource, n),
    },
  };
}

/**
 * An enterprise's rolling windows (REPUTATION_WINDOWS order) as its summary row stores them:
 * seven float64s a window, namely complaints, replied, completed, satisfactionSum,
 * satisfactionCount, the median reply delay in ms (NaN for none) and its sample size. Rates
 * and scores are not stored: readers derive them with computeStats, as every other path does.
 */
const WINDOW_FIELDS = 7;
const WINDOWS_SIZE = REPUTATION_WINDOWS.length * WINDOW_FIELDS * 8;

export function encodeWindows(windows: readonly RangeFigures[]): Uint8Array {
  if (windows.length !== REPUTATION_WINDOWS.length)
    throw new Error(`expected ${REPUTATION_WINDOWS.length} windows, got ${windows.length}`);
  const values = new Float64Array(REPUTATION_WINDOWS.length * WINDOW_FIELDS);
  windows.forEach(({ counts, median, sample }, i) => {
    values.set(
      [
        counts.complaints,
        counts.replied,
        counts.completed,
        counts.satisfactionSum,
        counts.satisfactionCount,
        median ?? NaN,
        sample,
      ],
      i * WINDOW_FIELDS,
    );
  });
  return new Uint8Array(values.buffer);
}

export function decodeWindows(bytes: Uint8Array): RangeFigures[] {
  if (bytes.byteLength !== WINDOWS_SIZE)
    throw new Error(`corrupt statistics windows: ${bytes.byteLength} bytes, expected ${WINDOWS_SIZE}`);
  const { buffer, offset } = aligned(bytes);
  const v = new Float64Array(buffer, offset, REPUTATION_WINDOWS.length * WINDOW_FIELDS);
  return REPUTATION_WINDOWS.map((_, i) => {
    const at = i * WINDOW_FIELDS;
    return {
      counts: {
        complaints: v[at],
        replied: v[at + 1],
        completed: v[at + 2],
        satisfactionSum: v[at + 3],
        satisfactionCount: v[at + 4],
      },
      median: Number.isNaN(v[at + 5]) ? null : v[at + 5],
      sample: v[at + 6],
    };
  });
}

/** Byte equality: the day roll rewrites only the windows that moved. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
