/**
 * HTTP-level limits at the gateway and at a subgraph reached directly (issues 18.3-18.5, 20.7,
 * 20.8, 20.11): one body limit with a coded 413, oversized headers with a coded 431, a bounded
 * request id, CSRF and CORS.
 */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startGraph, type TestGraph } from '../support/graph.ts';

let graph: TestGraph;
let complainant: string;
beforeAll(async () => {
  graph = await startGraph({ env: { GRAPHQL_MAX_BODY_BYTES: String(64 * 1024), CORS_ORIGINS: 'https://app.example' } });
  complainant = await graph.tokenFor('complainant', 'limits-complainant');
});
afterAll(async () => {
  await graph?.stop();
});

const origin = (url: string) => new URL(url).origin;
const codesOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) =>
  body.errors?.map((error) => error.extensions?.code);

/** A `{ directory { __typename } }`-shaped query padded with a comment to `bytes`. */
function paddedQuery(bytes: number): string {
  return JSON.stringify({ query: `{ __typename } #${'x'.repeat(bytes)}` });
}

async function* chunks(total: number, chunkBytes = 64 * 1024): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < total; sent += chunkBytes) yield Buffer.alloc(Math.min(chunkBytes, total - sent), 0x20);
}

describe('one GraphQL body limit, the same at the gateway and the subgraphs', () => {
  const endpoints = () => ({ gateway: graph.gatewayUrl, directory: graph.urls.directory });

  test('a body over GRAPHQL_MAX_BODY_BYTES gets 413 PAYLOAD_TOO_LARGE at the gateway and directly', async () => {
    for (const [name, url] of Object.entries(endpoints())) {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: paddedQuery(80 * 1024),
      });
      const body = (await response.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect({ name, status: response.statusCode, codes: codesOf(body) }).toEqual({
        name,
        status: 413,
        codes: ['PAYLOAD_TOO_LARGE'],
      });
    }
  });

  test('a chunked body over the limit (no content-length) gets 413 PAYLOAD_TOO_LARGE at the gateway', async () => {
    const body = Buffer.from(paddedQuery(80 * 1024));
    const response = await request(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from(
        (function* () {
          for (let at = 0; at < body.length; at += 8 * 1024) yield body.subarray(at, at + 8 * 1024);
        })(),
      ),
    });
    const json = (await response.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(response.statusCode).toBe(413);
    expect(codesOf(json)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  test('a body just under the limit is answered', async () => {
    const response = await request(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: paddedQuery(60 * 1024),
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('an evidence upload over EVIDENCE_MAX_BYTES (issue 20.7)', () => {
  const ELEVEN_MB = 11 * 1024 * 1024;
  for (const via of ['gateway', 'cases subgraph'] as const) {
    for (const sent of ['chunked', 'with its content-length'] as const) {
      test(`of 11 MB, ${sent}, gets 413 PAYLOAD_TOO_LARGE through the ${via}, not a 503 or a reset`, async () => {
        const base = via === 'gateway' ? origin(graph.gatewayUrl) : origin(graph.urls.cases);
        const response = await request(`${base}/evidence`, {
          method: 'POST',
          headers: {
            'content-type': 'application/pdf',
            'x-filename': 'big.pdf',
            authorization: `Bearer ${complainant}`,
          },
          body: sent === 'chunked' ? Readable.from(chunks(ELEVEN_MB)) : Buffer.alloc(ELEVEN_MB, 0x20),
        });
        const json = (await response.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        expect(response.statusCode).toBe(413);
        expect(codesOf(json)).toEqual(['PAYLOAD_TOO_LARGE']);
      });
    }
  }
});

describe('request headers past MAX_HEADER_BYTES (issue 20.11)', () => {
  /** Raw HTTP, so the test sees exactly what the server wrote. */
  function rawRequest(url: string, head: string): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.write(head));
      let answer = '';
      socket.on('data', (data) => {
        answer += data.toString('utf8');
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  test('a 200 KB token gets 431 with a coded JSON body, at the gateway and directly', async () => {
    for (const url of [graph.gatewayUrl, graph.urls.cases]) {
      const head = `GET /graphql HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${'a'.repeat(200 * 1024)}\r\n\r\n`;
      const answer = await rawRequest(url, head);
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      expect(codesOf(body)).toEqual(['REQUEST_HEADER_FIELDS_TOO_LARGE']);
    }
  });
});

describe('x-request-id (issue 18.5)', () => {
  const idEchoed = async (given: string) => {
    const response = await request(`${origin(graph.gatewayUrl)}/healthz`, { headers: { 'x-request-id': given } });
    await response.body.dump();
    return response.headers['x-request-id'] as string;
  };

  test('a well-formed id of at most 128 characters is kept', async () => {
    expect(await idEchoed('client-7f3a.9:2_x')).toBe('client-7f3a.9:2_x');
    expect(await idEchoed('a'.repeat(128))).toBe('a'.repeat(128));
  });

  test('a 6,000-character or ill-formed id is replaced by a generated one', async () => {
    for (const given of ['a'.repeat(6000), 'a'.repeat(129), 'x\u00e9y', 'has space', '{"json":1}']) {
      const echoed = await idEchoed(given);
      expect(echoed).not.toBe(given);
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('CSRF at the gateway, as at the subgraphs (issues 18.3, 20.8)', () => {
  const mutation = 'mutation { submitCase(input: { title: "x" }) { id } }';

  test('a mutation sent as a form (application/x-www-form-urlencoded) is refused before it runs', async () => {
    const response = await request(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${complainant}` },
      body: new URLSearchParams({ query: mutation }).toString(),
    });
    const json = (await response.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(codesOf(json)).toEqual(['BAD_REQUEST']);
  });

  test('text/plain and a missing content type are refused too; JSON is accepted', async () => {
    for (const contentType of ['text/plain', undefined]) {
      const response = await request(graph.gatewayUrl, {
        method: 'POST',
        headers: contentType ? { 'content-type': contentType } : {},
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const json = (await response.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect({ contentType, codes: codesOf(json) }).toEqual({ contentType, codes: ['BAD_REQUEST'] });
    }
    expect((await graph.query('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  test('a GET query needs a preflight header; a mutation over GET is refused even with one', async () => {
    const url = `${graph.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const bare = await request(url);
    expect(codesOf((await bare.body.json()) as never)).toEqual(['BAD_REQUEST']);
    const preflighted = await request(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await preflighted.body.json()).toEqual({ data: { __typename: 'Query' } });
    const viaGet = await request(`${graph.gatewayUrl}?query=${encodeURIComponent(mutation)}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${complainant}` },
    });
    expect(viaGet.statusCode).toBe(405);
    expect(codesOf((await viaGet.body.json()) as never)).toEqual(['BAD_REQUEST']);
  });
});

describe('CORS allows only CORS_ORIGINS (issues 18.3, 20.8)', () => {
  const preflight = async (url: string, from: string) => {
    const response = await request(url, {
      method: 'OPTIONS',
      headers: {
        origin: from,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    await response.body.dump();
    return response.headers;
  };

  test('an origin that is not configured gets no CORS headers, with or without credentials', async () => {
    for (const from of ['https://evil.example', 'null']) {
      const headers = await preflight(graph.gatewayUrl, from);
      expect(headers['access-control-allow-origin']).toBeUndefined();
      expect(headers['access-control-allow-credentials']).toBeUndefined();
    }
    const response = await request(graph.gatewayUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await response.body.dump();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a configured origin is echoed alone', async () => {
    const headers = await preflight(graph.gatewayUrl, 'https://app.example');
    expect(headers['access-control-allow-origin']).toBe('https://app.example');
  });
});
