import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { serveBlackCat } from './fixture-server/blackcat.ts';
import { loadFixtureDataset } from './fixture-server/dataset.ts';
import { serveJutousu } from './fixture-server/jutousu.ts';
import { BadRequest, createResponder, type FixtureSite } from './fixture-server/responses.ts';
import { serveSamr12315 } from './fixture-server/samr12315.ts';
import {
  FIXTURE_12315_TOKEN,
  type FixtureServer,
  type FixtureServerOptions,
  type RequestLogEntry,
} from './fixture-server/types.ts';
import { serveWeiquanCases } from './fixture-server/weiquan.ts';

/**
 * A local stand-in for the public listing sites, for tests, the demo and the benchmark. It serves
 * the hand-written fixtures under test/fixtures/listings (or a synthetic volume of records),
 * paginated like the real sources, with ETag/Last-Modified, and injects faults on request.
 * One module per fake source sits in scripts/fixture-server/; this file is the server and the command.
 *
 *   node scripts/fixture-server.ts [--port 4010] [--volume 12315=100000]
 */

export { FaultKind, FIXTURE_12315_TOKEN } from './fixture-server/types.ts';
export type {
  Fault,
  FixtureDataset,
  FixtureServer,
  FixtureServerOptions,
  FixtureTarget,
  RequestLogEntry,
} from './fixture-server/types.ts';

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const dataset = loadFixtureDataset();
  let robots = options.robots ?? 'User-agent: *\nAllow: /\n';
  const requests: RequestLogEntry[] = [];
  const volume = options.volume ?? {};
  const formats = {
    blackcatPager: options.blackcatPager ?? 'amount',
    jutousuList: options.jutousuList ?? 'message',
  };
  const open = new Set<ServerResponse>();
  const responder = createResponder(requests, options.faults ?? []);
  const { takeFault, send, applyTransportFault } = responder;
  const site: FixtureSite = { ...responder, dataset, volume, formats };

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const path = url.pathname;
    const page = Math.max(1, Number(url.searchParams.get('page') ?? url.searchParams.get('pageNo') ?? 1) || 1);
    if (path === '/robots.txt') {
      if (applyTransportFault(req, res, takeFault('robots', null, null))) return;
      return send(req, res, 200, robots, 'text/plain', null);
    }
    const request = { req, res, url, path, page, body };
    if (serveBlackCat(request, site) || serveSamr12315(request, site)) return;
    if (serveJutousu(request, site) || serveWeiquanCases(request, site)) return;
    send(req, res, 404, 'not found', 'text/plain', null);
  }

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        // A request the fixtures cannot read is the client's fault (400); anything else is ours
        // (500). Either way the server answers and stays up for the next request.
        const bad = error instanceof BadRequest;
        send(req, res, bad ? 400 : 500, bad ? error.message : 'internal error', 'text/plain; charset=utf-8', null);
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrls: {
      blackcat: `${url}/blackcat`,
      samr12315: `${url}/samr/public-web`,
      jutousu: `${url}/21cn`,
      weiquan: `${url}/cases/graphql`,
    },
    dataset,
    formats,
    requests,
    setFaults: responder.setFaults,
    setRobots: (text) => {
      robots = text;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const FIXTURE_USAGE =
  'Usage: node scripts/fixture-server.ts [--port 0-65535] [--volume blackcat|12315|jutousu|weiquan=N]…';

/** The command line, validated; throws an Error saying what was wrong and what is accepted. */
export function parseFixtureServerArguments(argv: string[]): { port: number; volume: FixtureServerOptions['volume'] } {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', default: '4010' }, volume: { type: 'string', multiple: true, default: [] } },
    strict: true,
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535)
    throw new Error(`--port: expected 0-65535, got "${values.port}".\n${FIXTURE_USAGE}`);
  const volume: Record<string, number> = {};
  const names: Record<string, string> = { blackcat: 'blackcat', '12315': 'samr12315', samr12315: 'samr12315' };
  Object.assign(names, { jutousu: 'jutousu', weiquan: 'weiquan' });
  for (const entry of values.volume) {
    const match = /^([a-z0-9]+)=(\d+)$/.exec(entry);
    const source = match ? names[match[1]] : undefined;
    if (!match || !source)
      throw new Error(`--volume: expected source=count (blackcat, 12315, jutousu, weiquan), got "${entry}".`);
    volume[source] = Number(match[2]);
  }
  return { port, volume };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let args: ReturnType<typeof parseFixtureServerArguments>;
  try {
    args = parseFixtureServerArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const server = await startFixtureServer(args);
  console.log(`Fixture listing server on ${server.url}. Point the sources at it:
  SOURCE_BLACKCAT_BASE_URL=${server.baseUrls.blackcat}
  SOURCE_12315_BASE_URL=${server.baseUrls.samr12315}
  SOURCE_12315_TOKEN=${FIXTURE_12315_TOKEN}
  SOURCE_JUTOUSU_BASE_URL=${server.baseUrls.jutousu}
  CASES_URL=${server.baseUrls.weiquan}   (demo only: the weiquan source then reads fixture cases)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
