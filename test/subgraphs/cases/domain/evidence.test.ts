import fc from 'fast-check';
import {
  EvidenceMediaType,
  bytesMatchMediaType,
  checkEvidenceAttachment,
  mayAttachEvidence,
  evidenceBlobRelativePath,
  mayReadEvidence,
  parseEvidenceMediaType,
  parseEvidenceName,
  sha256Hex,
  type EvidenceMetadata,
} from '../../../../subgraphs/cases/domain/evidence.ts';
import { SAMPLES } from '../evidence-samples.ts';

describe('parseEvidenceMediaType', () => {
  test('accepts each allow-listed type, ignoring case and parameters', () => {
    expect(parseEvidenceMediaType('IMAGE/PNG')).toBe('image/png');
    expect(parseEvidenceMediaType('text/plain; charset=utf-8')).toBe('text/plain');
    expect(parseEvidenceMediaType('application/pdf')).toBe('application/pdf');
  });
  test('refuses a type outside the allow-list or a missing header', () => {
    expect(parseEvidenceMediaType('application/zip')).toBeNull();
    expect(parseEvidenceMediaType('text/html')).toBeNull();
    expect(parseEvidenceMediaType(undefined)).toBeNull();
  });
});

describe('bytesMatchMediaType', () => {
  test('recognises each type by its magic number', () => {
    expect(bytesMatchMediaType(EvidenceMediaType.Jpeg, SAMPLES.jpeg)).toBe(true);
    expect(bytesMatchMediaType(EvidenceMediaType.Png, SAMPLES.png)).toBe(true);
    expect(bytesMatchMediaType(EvidenceMediaType.Webp, SAMPLES.webp)).toBe(true);
    expect(bytesMatchMediaType(EvidenceMediaType.Pdf, SAMPLES.pdf)).toBe(true);
    expect(bytesMatchMediaType(EvidenceMediaType.Text, SAMPLES.text)).toBe(true);
  });
  test('refuses bytes of another type than declared', () => {
    expect(bytesMatchMediaType(EvidenceMediaType.Png, SAMPLES.jpeg)).toBe(false);
    expect(bytesMatchMediaType(EvidenceMediaType.Pdf, SAMPLES.text)).toBe(false);
    expect(bytesMatchMediaType(EvidenceMediaType.Webp, Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBe(false);
  });
  test('refuses binary content declared as text', () => {
    expect(bytesMatchMediaType(EvidenceMediaType.Text, SAMPLES.png)).toBe(false);
    expect(bytesMatchMediaType(EvidenceMediaType.Text, Buffer.from([0x61, 0xff, 0x62]))).toBe(false);
  });
  test('refuses a file shorter than its magic number', () => {
    expect(bytesMatchMediaType(EvidenceMediaType.Png, SAMPLES.png.subarray(0, 4))).toBe(false);
  });
});

describe('parseEvidenceName', () => {
  test('decodes a percent-encoded Chinese file name', () => {
    expect(parseEvidenceName(encodeURIComponent('发票 2026.jpg'))).toBe('发票 2026.jpg');
  });
  test('drops any directory part so a name cannot escape', () => {
    expect(parseEvidenceName('..%2F..%2Fetc%2Fpasswd')).toBe('passwd');
    expect(parseEvidenceName('C:\\Users\\me\\receipt.pdf')).toBe('receipt.pdf');
  });
  test('refuses missing, empty, dot-only, control-character and malformed names', () => {
    for (const bad of [undefined, '', '   ', '..', 'a%0Ab.txt', '%E5%8F']) expect(parseEvidenceName(bad)).toBeNull();
  });
  test('strips bidi controls, so a name cannot pose as another type (invoice<U+202E>fdp.exe)', () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const control of bidi) {
      expect(parseEvidenceName(encodeURIComponent(`invoice${control}fdp.exe`))).toBe('invoicefdp.exe');
    }
    expect(parseEvidenceName(encodeURIComponent('\u200f\u061c收据\u200e.pdf'))).toBe('收据.pdf');
  });
  test('strips other invisible characters but keeps the joiners emoji need', () => {
    expect(parseEvidenceName(encodeURIComponent('a\u200bb\ufeffc\u0085d\u2028e.txt'))).toBe('abcde.txt');
    expect(parseEvidenceName(encodeURIComponent('👩\u200d💻.png'))).toBe('👩\u200d💻.png');
    expect(parseEvidenceName(encodeURIComponent('\u202e\u2066'))).toBeNull();
  });
  test('no name it returns holds a control or format character but the joiners', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const name = parseEvidenceName(encodeURIComponent(text));
        if (name !== null) expect(name).not.toMatch(/(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/u);
      }),
    );
  });
  test('refuses a name longer than 200 characters', () => {
    expect(parseEvidenceName('x'.repeat(201))).toBeNull();
    expect(parseEvidenceName('x'.repeat(200))).toBe('x'.repeat(200));
  });
});

describe('evidenceBlobRelativePath', () => {
  test('fans out by the first two byte pairs of the hash', () => {
    const sha = sha256Hex(Buffer.from('abc'));
    expect(evidenceBlobRelativePath(sha)).toEqual([sha.slice(0, 2), sha.slice(2, 4), sha]);
  });
  test('refuses anything that is not a SHA-256 hex digest, so no path can be injected', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/^[0-9a-f]{64}$/.test(text));
        expect(() => evidenceBlobRelativePath(text)).toThrow(RangeError);
      }),
    );
  });
});

describe('checkEvidenceAttachment', () => {
  const mine: EvidenceMetadata = {
    id: 'ev_1',
    sha256: 'a'.repeat(64),
    name: 'r.pdf',
    mediaType: 'application/pdf',
    size: 5,
    uploadedBy: 'u1',
    uploaderRole: 'complainant',
    uploadedAt: '2026-10-01T00:00:00.000Z',
  };
  const theirs: EvidenceMetadata = { ...mine, id: 'ev_2', uploadedBy: 'u2' };
  const complainant = { id: 'u1', role: 'complainant' as const };

  test('returns the metadata of one’s own uploads in the requested order', () => {
    const alsoMine: EvidenceMetadata = { ...mine, id: 'ev_4' };
    expect(checkEvidenceAttachment(complainant, 'u1', ['ev_4', 'ev_1'], [mine, alsoMine]).map((e) => e.id)).toEqual([
      'ev_4',
      'ev_1',
    ]);
  });
  test('staff attach files staff uploaded or the case’s own complainant did, never another complainant’s', () => {
    const staff = { id: 's', role: 'staff' as const };
    const staffUpload: EvidenceMetadata = { ...mine, id: 'ev_5', uploadedBy: 's2', uploaderRole: 'staff' };
    expect(checkEvidenceAttachment(staff, 'u1', ['ev_5', 'ev_1'], [mine, staffUpload]).map((e) => e.id)).toEqual([
      'ev_5',
      'ev_1',
    ]);
    expect(() => checkEvidenceAttachment(staff, 'u1', ['ev_2'], [theirs])).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    // Any staff member's upload; a legacy file without a recorded role only from the case's complainant's id.
    expect(mayAttachEvidence(staff, { ...theirs, uploadedBy: 'u1', uploaderRole: 'staff' }, 'u9')).toBe(true);
    expect(mayAttachEvidence(staff, { ...mine, uploaderRole: null }, 'u1')).toBe(true);
    expect(mayAttachEvidence(staff, { ...theirs, uploaderRole: null }, 'u1')).toBe(false);
  });
  test('names the unknown id’s position in BAD_USER_INPUT', () => {
    expect(() => checkEvidenceAttachment(complainant, 'u1', ['ev_1', 'ev_9'], [mine], 'input.evidenceIds')).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentPath: 'input.evidenceIds.1' }),
      }),
    );
  });
  test('refuses a duplicated id', () => {
    expect(() => checkEvidenceAttachment(complainant, 'u1', ['ev_1', 'ev_1'], [mine])).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
  test('a complainant whose id equals a staff member’s may neither attach nor read that staff member’s uploads', () => {
    const staffUpload: EvidenceMetadata = { ...mine, id: 'ev_3', uploaderRole: 'staff' };
    expect(() => checkEvidenceAttachment(complainant, 'u1', ['ev_3'], [staffUpload])).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    expect(mayReadEvidence(complainant, staffUpload, false)).toBe(false);
    expect(mayReadEvidence({ id: 'u1', role: 'staff' }, staffUpload, false)).toBe(true);
    expect(mayReadEvidence(complainant, mine, false)).toBe(true);
    expect(mayReadEvidence(complainant, { ...mine, uploaderRole: null }, false)).toBe(true);
  });
  test('forbids a complainant attaching someone else’s upload', () => {
    expect(() => checkEvidenceAttachment(complainant, 'u1', ['ev_2'], [theirs])).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
  });
});
