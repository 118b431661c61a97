/**
 * The zero-cost bound's input: a loopback proxy in front of each subgraph records the fetches a
 * gateway sends for each operation of the mix (run one at a time, so each fetch belongs to the
 * operation in flight), in the order the plan sent them. Replaying them straight to the
 * subgraphs measures what a gateway that cost nothing would reach.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type Pool, request } from 'undici';

export interface CapturedFetch {
  /** Which subgraph: an index into the origins the replay was given. */
  subgraph: string;
  path: string;
  body: string;
  authorization?: string;
  /** The `x-request-id` the gateway sent, for the test that tracing survives merging. */
  requestId?: string;
}

export interface Recorder {
  urls: Record<string, string>;
  /** Everything recorded since the last call, and starts afresh. */
  take(): CapturedFetch[];
  close(): Promise<void>;
}

/** One recording proxy per subgraph; `urls` are the proxies' GraphQL URLs to give a gateway. */
export async function recordingProxies(targets: Record<string, string>): Promise<Recorder> {
  let recorded: CapturedFetch[] = [];
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  for (const [subgraph, target] of Object.entries(targets)) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const authorization = req.headers.authorization;
        const requestId = req.headers['x-request-id'] as string | undefined;
        if (req.method === 'POST')
          recorded.push({ subgraph, path: req.url ?? '/graphql', body, authorization, requestId });
        try {
          const upstream = await request(new URL(req.url ?? '/', target), {
            method: req.method as 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body: req.method === 'POST' ? body : undefined,
          });
          res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type']) });
          res.end(Buffer.from(await upstream.body.arrayBuffer()));
        } catch {
          res.destroy();
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    urls[subgraph] = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  }
  return {
    urls,
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}

/** Sends one operation's captured fetches to the subgraphs in plan order; true when all answered 200. */
export async function replay(fetches: CapturedFetch[], pools: Record<string, Pool>): Promise<boolean> {
  for (const fetch of fetches) {
    const response = await pools[fetch.subgraph].request({
      method: 'POST',
      path: fetch.path,
      headers: {
        'content-type': 'application/json',
        ...(fetch.authorization ? { authorization: fetch.authorization } : {}),
      },
      body: fetch.body,
    });
    await response.body.dump();
    if (response.statusCode !== 200) return false;
  }
  return true;
}

export interface FetchTimes {
  /** `operation #position subgraph`, e.g. `PublishedCases #2 reputation`. */
  fetch: string;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Each captured fetch sent once more, alone (nothing else in flight), timed: which subgraph call
 * of which operation costs what at this scale, apart from any gateway and from contention.
 */
export async function timeFetches(
  plans: CapturedFetch[][],
  operationNames: string[],
  pools: Record<string, Pool>,
): Promise<FetchTimes[]> {
  const times = new Map<string, number[]>();
  for (const [i, plan] of plans.entries()) {
    for (const [position, fetch] of plan.entries()) {
      const started = performance.now();
      await replay([fetch], pools);
      const key = `${operationNames[i]} #${position + 1} ${fetch.subgraph}`;
      const ofKey = times.get(key) ?? [];
      ofKey.push(performance.now() - started);
      times.set(key, ofKey);
    }
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return [...times].map(([fetch, ms]) => {
    const sorted = ms.sort((a, b) => a - b);
    const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    return { fetch, count: sorted.length, p50: at(0.5), p99: at(0.99), max: round(sorted[sorted.length - 1]) };
  });
}
