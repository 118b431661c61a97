/**
 * Decodes a fetched body to text by the charset the page declares. Older Chinese sites still
 * serve GBK, GB2312 or GB18030; read as UTF-8 their text turns to U+FFFD and every merchant name
 * on the page is lost. Node 24 ships full ICU, so the WHATWG `TextDecoder` decodes these labels
 * (`gb2312` and `gbk` are the GBK decoder, which reads GB18030's four-byte sequences too).
 *
 * Where the charset comes from, first found wins (as browsers do, simplified):
 * 1. a byte-order mark (UTF-8, UTF-16LE/BE);
 * 2. the `charset` parameter of the Content-Type header;
 * 3. for HTML, `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
 *    within the first 1024 bytes;
 * 4. UTF-8.
 * A label TextDecoder does not know falls back to UTF-8, and says so in `charset`.
 */

export interface DecodedBody {
  text: string;
  /** The encoding used (TextDecoder's canonical name, e.g. `gbk`, `gb18030`, `utf-8`). */
  charset: string;
  /** Where it came from. */
  source: 'bom' | 'header' | 'meta' | 'default' | 'unknown-label';
}

const META_SCAN_BYTES = 1024;

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

/** The `charset` parameter of a Content-Type value, unquoted; null when absent. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return match ? match[2] : null;
}

/** A charset declared by an HTML meta element in the first bytes; null when none. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  // The head is ASCII in every encoding we meet here: latin1 keeps each byte as one character.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, META_SCAN_BYTES)).toString(
    'latin1',
  );
  for (const meta of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(meta);
    if (direct) return direct[1];
  }
  return null;
}

function bomCharset(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

export function decodeBody(bytes: Uint8Array, contentType: string | null | undefined): DecodedBody {
  const bom = bomCharset(bytes);
  const declared = charsetFromContentType(contentType);
  const isHtml = /html/i.test(contentType ?? '') || !contentType;
  const meta = !bom && !declared && isHtml ? charsetFromMeta(bytes) : null;
  const label = bom ?? declared ?? meta;
  const source: DecodedBody['source'] = bom ? 'bom' : declared ? 'header' : meta ? 'meta' : 'default';
  const chosen = label ? decoderFor(label) : null;
  const decoder = chosen ?? new TextDecoder('utf-8');
  return {
    text: decoder.decode(bytes),
    charset: decoder.encoding,
    source: label && !chosen ? 'unknown-label' : source,
  };
}
