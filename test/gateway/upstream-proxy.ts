/**
 * A loopback proxy in front of a real subgraph, for tests of how the gateway treats a subgraph
 * that fails, stalls or is slow. It counts the GraphQL requests it gets and gives the n-th one
 * the action the test planned; everything else (`/readyz`) is forwarded.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { closeServer } from '../../platform/server/http-server.ts';

/** `reset`: drop the connection; `stall`: never answer; `hold`: answer once the test calls `release()`. */
export type Action = 'forward' | 'reset' | 'stall' | 'hold';

export interface UpstreamProxy {
  url: string;
  /** How many GraphQL requests reached the proxy. */
  attempts(): number;
  /** Resolves when a request is being held. */
  held(): Promise<void>;
  /** Forwards every held request. */
  release(): void;
  close(): Promise<void>;
}

/** Forwards to `target`, except that the n-th GraphQL request gets `plan[n]` (after the plan: `then`). */
export async function upstreamProxy(target: string, plan: Action[], then: Action = 'forward'): Promise<UpstreamProxy> {
  let attempts = 0;
  let released = false;
  let holding = 0;
  const events = new EventEmitter();
  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = await request(new URL(req.url ?? '/', target), {
      method: req.method as 'POST',
      headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type']) });
    res.end(Buffer.from(await upstream.body.arrayBuffer()));
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const action = req.url?.startsWith('/graphql') ? (plan[attempts++] ?? then) : 'forward';
      const send = () => forward(req, res, Buffer.concat(chunks)).catch(() => res.destroy());
      if (action === 'reset') return req.socket.destroy();
      if (action === 'stall') return;
      if (action === 'hold' && !released) {
        holding++;
        events.once('release', send);
        events.emit('held');
        return;
      }
      void send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    attempts: () => attempts,
    held: async () => {
      if (holding === 0) await once(events, 'held');
    },
    release() {
      released = true;
      events.emit('release');
    },
    close: () => closeServer(server, 0),
  };
}
