/**
 * A loopback proxy in front of a real subgraph, for tests of how the gateway treats a subgraph
 * that fails, stalls or is slow. It counts the GraphQL requests it gets and gives the n-th one
 * the action the test planned; everything else (`/readyz`) is forwarded.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { closeServer } from '../../platform/server/http-server.ts';

/**
 * `reset`: drop the connection; `stall`: never answer; `hold`: answer once the test calls
 * `release()`; `garbage`: 200 with an HTML page; `wrong-shape`: 200 with JSON that is no GraphQL
 * answer; `error-500`: a 500 with an HTML page.
 */
export type Action = 'forward' | 'reset' | 'stall' | 'hold' | 'garbage' | 'wrong-shape' | 'error-500';

export interface UpstreamProxy {
  url: string;
  /** How many GraphQL requests reached the proxy. */
  attempts(): number;
  /** Resolves when a request is being held. */
  held(): Promise<void>;
  /** Forwards every held request. */
  release(): void;
  /** Resolves when the client closes the connection of a stalled request (it gave up on it). */
  stalledClosed(): Promise<void>;
  /** From now on, every request after the plan gets `action`. */
  setThen(action: Action): void;
  /** Stops listening (connections are refused, as from a subgraph that is down) … */
  goDown(): Promise<void>;
  /** … and listens again on the same port. */
  comeBack(): Promise<void>;
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
      if (action === 'stall') {
        res.on('close', () => events.emit('stalled-closed'));
        return;
      }
      if (action === 'garbage' || action === 'error-500') {
        res.writeHead(action === 'garbage' ? 200 : 500, { 'content-type': 'text/html' });
        return res.end('<html><body>502 Bad Gateway at 10.0.0.7</body></html>');
      }
      if (action === 'wrong-shape') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"unexpected": [1, 2, 3]}');
      }
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
  let down = false;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    attempts: () => attempts,
    held: async () => {
      if (holding === 0) await once(events, 'held');
    },
    stalledClosed: async () => {
      await once(events, 'stalled-closed');
    },
    release() {
      released = true;
      events.emit('release');
    },
    setThen(action) {
      then = action;
    },
    async goDown() {
      down = true;
      await closeServer(server, 0);
    },
    async comeBack() {
      down = false;
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: () => (down ? Promise.resolve() : closeServer(server, 0)),
  };
}
