import { createHash } from 'node:crypto';

/**
 * What may be uploaded (case evidence, a representative's authorisation letter): receipts and
 * screenshots (images), contracts (PDF) and chat transcripts (plain text). Everything else is
 * refused, so no executable or archive ever sits in our store to be served back to staff.
 */
export const UploadMediaType = {
  Jpeg: 'image/jpeg',
  Png: 'image/png',
  Webp: 'image/webp',
  Pdf: 'application/pdf',
  Text: 'text/plain',
} as const;
export type UploadMediaType = (typeof UploadMediaType)[keyof typeof UploadMediaType];
export const UPLOAD_MEDIA_TYPES = Object.values(UploadMediaType) as UploadMediaType[];

/** `image/PNG; charset=x` → `image/png`; null when the header names no type we accept. */
export function parseUploadMediaType(header: string | undefined): UploadMediaType | null {
  if (!header) return null;
  const bare = header.split(';')[0].trim().toLowerCase();
  return (UPLOAD_MEDIA_TYPES as string[]).includes(bare) ? (bare as UploadMediaType) : null;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * Whether the bytes are what the uploader says they are, by their magic number. The declared
 * type alone is the client's word; a mislabelled file could be served back to staff as
 * something it is not. Plain text has no magic number: it must decode as UTF-8 without NULs.
 */
export function bytesMatchMediaType(mediaType: UploadMediaType, bytes: Uint8Array): boolean {
  switch (mediaType) {
    case UploadMediaType.Jpeg:
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case UploadMediaType.Png:
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case UploadMediaType.Webp:
      return startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8);
    case UploadMediaType.Pdf:
      return startsWith(bytes, ascii('%PDF-'));
    case UploadMediaType.Text:
      return isPlainUtf8Text(bytes);
  }
}

function isPlainUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export const MAX_UPLOAD_NAME_LENGTH = 200;

/** Format characters (bidi controls, zero-width spaces, BOM) but the joiners, C1 controls, U+2028/2029. */
const INVISIBLE_IN_NAMES = /(?![\u200c\u200d])\p{Cf}|[\u0080-\u009f\u2028\u2029]/gu;

/**
 * The `x-filename` header as a safe display name. HTTP headers carry Latin-1 only, so clients
 * percent-encode other characters (`%E5%8F%91%E7%A5%A8.jpg` for 发票.jpg). Any directory part
 * is dropped; C0 control characters (a newline could split a header) and empty names are
 * refused. Invisible characters that change how a name reads are stripped: bidi controls
 * (`invoice<U+202E>fdp.exe` shows as "invoiceexe.pdf"), C1 controls, line and
 * paragraph separators and other format characters, keeping only the joiners (U+200C, U+200D)
 * that emoji and some scripts need. Null when unusable.
 */
export function parseUploadName(header: string | undefined): string | null {
  if (header === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return null;
  }
  const last = decoded.split(/[\\/]/).at(-1) ?? '';
  const base = last.normalize('NFC').replace(INVISIBLE_IN_NAMES, '').trim();
  // C1 controls are gone by now, so \p{Cc} is C0 and DEL here.
  if (base === '' || base === '.' || base === '..' || /\p{Cc}/u.test(base)) return null;
  if ([...base].length > MAX_UPLOAD_NAME_LENGTH) return null;
  return base;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Where a blob lives under its content-addressed directory: two levels of fan-out (`ab/cd/abcd…`) keep
 * any one directory small even with millions of files.
 */
export function blobRelativePath(sha256: string): string[] {
  if (!SHA256_PATTERN.test(sha256)) throw new RangeError(`Not a SHA-256 hex digest: ${sha256}`);
  return [sha256.slice(0, 2), sha256.slice(2, 4), sha256];
}
