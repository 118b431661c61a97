import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { pino } from 'pino';
import { authenticate, issueToken } from '../../../../platform/auth.ts';
import { HttpError, sendHttpError } from '../../../../platform/server/http.ts';
import { closeServer } from '../../../../platform/server/subgraph-server.ts';
import { openSqlite } from '../../../../platform/store/sqlite.ts';
import { sha256Hex } from '../../../../subgraphs/cases/domain/evidence.ts';
import { createEvidenceHttpHandler } from '../../../../subgraphs/cases/http/evidence-upload.ts';
import { createSqliteEvidenceStore } from '../../../../subgraphs/cases/store/evidence-sqlite.ts';
import type { EvidenceStore } from '../../../../subgraphs/cases/store/evidence.ts';
import { SAMPLES } from '../evidence-samples.ts';

const SECRET = 'test-secret-for-evidence-uploads-0000';
const MAX_BYTES = 1024;

let dir: string;
let db: DatabaseSync;
let store: EvidenceStore;
let server: Server;
let base: string;
let complainantToken: string;
let otherComplainantToken: string;
let staffToken: string;
let enterpriseToken: string;

/** The same auth-then-route order as startSubgraph, around the evidence handler alone. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weiquan-evidence-http-'));
  db = openSqlite(join(dir, 'cases.db'));
  store = createSqliteEvidenceStore(db, dir);
  const handle = createEvidenceHttpHandler({ store, maxBytes: MAX_BYTES, now: () => new Date('2026-10-01T00:00:00Z') });
  const logger = pino({ level: 'silent' });
  server = createServer((req, res) => {
    (async () => {
      let actor: Awaited<ReturnType<typeof authenticate>>;
      try {
        actor = await authenticate(SECRET, req.headers.authorization);
      } catch {
        return sendHttpError(res, new HttpError(401, 'UNAUTHENTICATED', 'bad token'));
      }
      if (!(await handle(req, res, { requestId: 't', actor, logger })))
        sendHttpError(res, new HttpError(404, 'NOT_FOUND', 'no route'));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  complainantToken = await issueToken(SECRET, { id: 'user-1', role: 'complainant' });
  otherComplainantToken = await issueToken(SECRET, { id: 'user-2', role: 'complainant' });
  staffToken = await issueToken(SECRET, { id: 'staff-1', role: 'staff' });
  enterpriseToken = await issueToken(SECRET, { id: 'rep-1', role: 'enterprise', enterpriseId: 'ent1_x' });
});
afterAll(async () => {
  await closeServer(server, 100);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (body: Buffer, headers: Record<string, string>) =>
  fetch(`${base}/evidence`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'x-filename': 'receipt', ...headers },
  });
const countRows = () => (db.prepare('SELECT COUNT(*) AS n FROM evidence').get() as { n: number }).n;
/** Every file under the evidence directory, blobs and temp files alike. */
const storedFiles = () =>
  readdirSync(join(dir, 'evidence'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;

async function expectRefused(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
}

test('an accepted upload answers 201 with its id, hash, size and type and can be downloaded', async () => {
  const response = await upload(SAMPLES.png, {
    authorization: `Bearer ${complainantToken}`,
    'content-type': 'image/png',
    'x-filename': encodeURIComponent('聊天截图.png'),
  });
  expect(response.status).toBe(201);
  const body = await response.json();
  expect(body).toEqual({
    id: expect.stringMatching(/^ev_/),
    sha256: sha256Hex(SAMPLES.png),
    size: SAMPLES.png.length,
    mediaType: 'image/png',
    name: '聊天截图.png',
  });

  const download = await fetch(`${base}/evidence/${body.id}`, {
    headers: { authorization: `Bearer ${complainantToken}` },
  });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('image/png');
  expect(download.headers.get('content-disposition')).toContain(encodeURIComponent('聊天截图.png'));
  expect(Buffer.from(await download.arrayBuffer())).toEqual(SAMPLES.png);
});

test('staff may download any evidence; another complainant may not', async () => {
  const created = await (
    await upload(SAMPLES.pdf, { authorization: `Bearer ${complainantToken}`, 'content-type': 'application/pdf' })
  ).json();
  expect(
    (await fetch(`${base}/evidence/${created.id}`, { headers: { authorization: `Bearer ${staffToken}` } })).status,
  ).toBe(200);
  await expectRefused(
    await fetch(`${base}/evidence/${created.id}`, { headers: { authorization: `Bearer ${otherComplainantToken}` } }),
    403,
    'FORBIDDEN',
  );
  await expectRefused(await fetch(`${base}/evidence/${created.id}`), 401, 'UNAUTHENTICATED');
});

test('a complainant token with a staff member’s id may not download what that staff member uploaded', async () => {
  const created = await (
    await upload(SAMPLES.pdf, { authorization: `Bearer ${staffToken}`, 'content-type': 'application/pdf' })
  ).json();
  const sameIdComplainant = await issueToken(SECRET, { id: 'staff-1', role: 'complainant' });
  await expectRefused(
    await fetch(`${base}/evidence/${created.id}`, { headers: { authorization: `Bearer ${sameIdComplainant}` } }),
    403,
    'FORBIDDEN',
  );
  expect(
    (await fetch(`${base}/evidence/${created.id}`, { headers: { authorization: `Bearer ${staffToken}` } })).status,
  ).toBe(200);
});

test('an unknown evidence id is 404', async () => {
  await expectRefused(
    await fetch(`${base}/evidence/ev_nope`, { headers: { authorization: `Bearer ${staffToken}` } }),
    404,
    'NOT_FOUND',
  );
});

describe('refused uploads leave no record and no file', () => {
  let rowsBefore: number;
  let filesBefore: number;
  beforeEach(() => {
    rowsBefore = countRows();
    filesBefore = storedFiles();
  });
  afterEach(() => {
    expect(countRows()).toBe(rowsBefore);
    expect(storedFiles()).toBe(filesBefore);
  });

  test('an anonymous upload is 401', async () => {
    await expectRefused(await upload(SAMPLES.jpeg, { 'content-type': 'image/jpeg' }), 401, 'UNAUTHENTICATED');
  });
  test('an enterprise representative may not upload evidence (403)', async () => {
    await expectRefused(
      await upload(SAMPLES.jpeg, { authorization: `Bearer ${enterpriseToken}`, 'content-type': 'image/jpeg' }),
      403,
      'FORBIDDEN',
    );
  });
  test('a type outside the allow-list is 415', async () => {
    await expectRefused(
      await upload(Buffer.from('PK\x03\x04'), {
        authorization: `Bearer ${complainantToken}`,
        'content-type': 'application/zip',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
  test('bytes that do not match the declared type are 415', async () => {
    await expectRefused(
      await upload(SAMPLES.pdf, { authorization: `Bearer ${complainantToken}`, 'content-type': 'image/jpeg' }),
      415,
      'MEDIA_TYPE_MISMATCH',
    );
  });
  test('a body over the size limit is 413', async () => {
    const big = Buffer.concat([SAMPLES.png, Buffer.alloc(MAX_BYTES)]);
    await expectRefused(
      await upload(big, { authorization: `Bearer ${complainantToken}`, 'content-type': 'image/png' }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });
  test('a chunked body that grows past the limit is cut off', async () => {
    const chunks = [SAMPLES.png, Buffer.alloc(MAX_BYTES)];
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const outcome = await fetch(`${base}/evidence`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { authorization: `Bearer ${complainantToken}`, 'content-type': 'image/png', 'x-filename': 'big.png' },
    } as RequestInit).then(
      (r) => r.status,
      () => 'connection closed',
    );
    expect([413, 'connection closed']).toContain(outcome);
  });
  test('a missing file name is 400', async () => {
    await expectRefused(
      await fetch(`${base}/evidence`, {
        method: 'POST',
        body: SAMPLES.text,
        headers: { authorization: `Bearer ${complainantToken}`, 'content-type': 'text/plain' },
      }),
      400,
      'BAD_USER_INPUT',
    );
  });
  test('an empty body is 400', async () => {
    await expectRefused(
      await upload(Buffer.alloc(0), { authorization: `Bearer ${complainantToken}`, 'content-type': 'text/plain' }),
      400,
      'BAD_USER_INPUT',
    );
  });
  test('an upload whose client disconnects before the declared length is dropped', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    const head = [
      'POST /evidence HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${complainantToken}`,
      'Content-Type: image/png',
      'X-Filename: partial.png',
      'Content-Length: 500',
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    // Once the part of the body is flushed, the FIN that end() sends reaches the server after it.
    await new Promise<void>((resolve, reject) =>
      socket.write(SAMPLES.png, (error) => (error ? reject(error) : resolve())),
    );
    socket.end();
    await new Promise((resolve) => socket.once('close', resolve));
    // Node answers a request cut short by the client with a bare 400 before closing.
    if (reply) expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    // A request after the drop proves the server is still serving and has finished the dropped one.
    expect(
      (await fetch(`${base}/evidence/ev_nope`, { headers: { authorization: `Bearer ${staffToken}` } })).status,
    ).toBe(404);
  });
});
