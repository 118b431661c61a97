/**
 * Authorisation letters through the gateway: the requester uploads one (with the evidence rules:
 * types, size, sniffed content, file name), attaches it to the representation request; staff and
 * admins see and download it; another account, a representative's enterprise-less stranger or an
 * anonymous caller cannot; hostile files are refused before anything is stored.
 */
import { creditCodeCheckCharacter } from '../../../platform/enterprise/credit-code.ts';
import type { TestGraph } from '../../support/graph.ts';
import { SAMPLES } from '../cases/evidence-samples.ts';
import { CodeInbox, LETTER_PDF, registerAndVerify, startGraphWithInbox, uploadLetter } from './support.ts';

const inbox = new CodeInbox();
let graph: TestGraph;
// Small, so the size limit is tested with a small body.
const MAX_BYTES = 4096;
beforeAll(async () => {
  graph = await startGraphWithInbox(inbox, { env: { EVIDENCE_MAX_BYTES: String(MAX_BYTES) } });
});
afterAll(() => graph.stop());

const CODE = `91440300MA5FQ0001${creditCodeCheckCharacter('91440300MA5FQ0001')}`;
const REQUEST = `mutation($c: String!, $n: String!, $l: ID) {
  requestRepresentation(creditCode: $c, enterpriseName: $n, letterId: $l) {
    enterpriseId enterpriseName letter { id name mediaType size sha256 url } } }`;
type Letter = { id: string; name: string; mediaType: string; size: number; sha256: string; url: string };

const download = (url: string, token?: string) =>
  fetch(new URL(url, graph.gatewayUrl), token ? { headers: { authorization: `Bearer ${token}` } } : {});

test('the requester uploads a letter and attaches it; staff and admins see and download it; no one else', async () => {
  const requester = await registerAndVerify(graph, inbox, 'letter-owner@example.org', 'a long password');
  const other = await registerAndVerify(graph, inbox, 'letter-other@example.org', 'a long password');
  const uploaded = await uploadLetter(graph, requester.accessToken);
  expect(uploaded.status).toBe(201);
  const body = (await uploaded.json()) as { id: string; size: number; mediaType: string; name: string };
  expect(body).toMatchObject({ size: LETTER_PDF.length, mediaType: 'application/pdf', name: '授权委托书.pdf' });

  const asked = await graph.query<{ requestRepresentation: { enterpriseName: string; letter: Letter } }>(
    REQUEST,
    { c: CODE, n: '深圳市示例信息技术有限公司', l: body.id },
    requester.accessToken,
  );
  expect(asked.errors).toBeUndefined();
  expect(asked.data?.requestRepresentation).toMatchObject({
    enterpriseName: '深圳市示例信息技术有限公司',
    letter: { id: body.id, url: `/representation-letters/${body.id}` },
  });

  for (const role of ['staff', 'admin'] as const) {
    const desk = await graph.tokenFor(role, `desk-${role}`);
    const pending = await graph.query<{ pendingRepresentations: Array<{ accountId: string; letter: Letter | null }> }>(
      '{ pendingRepresentations { accountId letter { id name url } } }',
      undefined,
      desk,
    );
    const mine = pending.data?.pendingRepresentations.find((r) => r.accountId === requester.account.id);
    expect(mine?.letter).toMatchObject({ id: body.id, name: '授权委托书.pdf' });
    const file = await download(mine!.letter!.url, desk);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(file.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(Buffer.from(await file.arrayBuffer())).toEqual(LETTER_PDF);
  }
  expect((await download(`/representation-letters/${body.id}`, requester.accessToken)).status).toBe(200);

  // Another account: the letter is as unknown to it as a made-up id, and it cannot attach it.
  expect((await download(`/representation-letters/${body.id}`, other.accessToken)).status).toBe(404);
  const representative = await graph.tokenFor('enterprise', 'someone-else', 'ent1_00000000000000000000');
  expect((await download(`/representation-letters/${body.id}`, representative)).status).toBe(404);
  expect((await download(`/representation-letters/${body.id}`)).status).toBe(401);
  const borrowed = await graph.query(
    REQUEST,
    { c: CODE, n: '深圳市示例信息技术有限公司', l: body.id },
    other.accessToken,
  );
  expect(borrowed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentPath: 'letterId' } });
  const others = await graph.query<{ myRepresentations: unknown[] }>(
    '{ myRepresentations { enterpriseId } }',
    undefined,
    other.accessToken,
  );
  expect(others.data?.myRepresentations).toEqual([]);
});

test('hostile or unusable files are refused as evidence is, and nothing is stored', async () => {
  const session = await registerAndVerify(graph, inbox, 'letter-hostile@example.org', 'a long password');
  const token = session.accessToken;
  const refusals: Array<[string, Promise<Response>, number, string]> = [
    [
      'an executable called a PDF',
      uploadLetter(graph, token, Buffer.from('MZ\x90\x00\x03 not a pdf')),
      415,
      'MEDIA_TYPE_MISMATCH',
    ],
    [
      'an HTML page called an image',
      uploadLetter(graph, token, Buffer.from('<html><script>alert(1)</script>'), { 'content-type': 'image/png' }),
      415,
      'MEDIA_TYPE_MISMATCH',
    ],
    [
      'a type not accepted',
      uploadLetter(graph, token, Buffer.from('PK\x03\x04'), { 'content-type': 'application/zip' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a file over the limit',
      uploadLetter(graph, token, Buffer.concat([SAMPLES.pdf, Buffer.alloc(MAX_BYTES)])),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['an empty file', uploadLetter(graph, token, Buffer.alloc(0)), 400, 'BAD_USER_INPUT'],
    [
      'a name that is only a path',
      uploadLetter(graph, token, LETTER_PDF, { 'x-filename': '..%2F' }),
      400,
      'BAD_USER_INPUT',
    ],
    ['no sign-in', uploadLetter(graph, null), 401, 'UNAUTHENTICATED'],
    [
      'a staff token (letters are the requester’s)',
      uploadLetter(graph, await graph.tokenFor('staff', 'desk')),
      403,
      'FORBIDDEN',
    ],
  ];
  for (const [what, pending, status, code] of refusals) {
    const response = await pending;
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect({ what, status: response.status, code: body.errors[0].extensions.code }).toEqual({ what, status, code });
  }
  // A directory part in the name is dropped, and bidi controls that disguise an extension are removed.
  const named = await uploadLetter(graph, token, LETTER_PDF, {
    'x-filename': encodeURIComponent('../../etc/letter\u202Efdp.exe'),
  });
  expect(named.status).toBe(201);
  expect(((await named.json()) as { name: string }).name).toBe('letterfdp.exe');
  const mine = await graph.query<{ myRepresentations: unknown[] }>(
    '{ myRepresentations { enterpriseId } }',
    undefined,
    token,
  );
  expect(mine.data?.myRepresentations).toEqual([]);
});
