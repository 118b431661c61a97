/**
 * Request ids reach the subgraphs for tracing, yet identical anonymous queries in flight at the
 * same time share their subgraph fetches (issue 17: the id used to be part of the merge key).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../platform/logger.ts';
import { type Recorder, recordingProxies } from '../../scripts/bench-gateway/capture.ts';
import { postGraphQL, startGraph, type TestGraph } from '../support/graph.ts';
import { type UpstreamProxy, upstreamProxy } from './upstream-proxy.ts';

const CHANNELS = '{ channels { id } }';

let graph: TestGraph;
let recorder: Recorder;
let held: UpstreamProxy;
let recordingGateway: RunningGateway;
let holdingGateway: RunningGateway;

beforeAll(async () => {
  graph = await startGraph();
  const logger = createLogger('silent', 'test');
  recorder = await recordingProxies(graph.urls);
  recordingGateway = await startGateway({
    config: graph.config,
    logger,
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: recorder.urls as typeof graph.urls,
  });
  // The first directory fetch is held until the test releases it, so the others arrive while it is in flight.
  held = await upstreamProxy(graph.urls.directory, ['hold']);
  holdingGateway = await startGateway({
    config: graph.config,
    logger,
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: { ...graph.urls, directory: held.url },
  });
});

afterAll(async () => {
  await holdingGateway?.stop();
  await recordingGateway?.stop();
  await held?.close();
  await recorder?.close();
  await graph?.stop();
});

test("the subgraph receives the caller's x-request-id", async () => {
  recorder.take();
  const response = await postGraphQL(recordingGateway.url, CHANNELS, undefined, undefined, {
    'x-request-id': 'trace-abc',
  });
  expect(response.errors).toBeUndefined();
  expect(recorder.take().map((fetch) => fetch.requestId)).toEqual(['trace-abc']);
});

test('identical anonymous queries in flight together, each with its own request id, share one fetch', async () => {
  const answers = Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      postGraphQL<{ channels: unknown[] }>(holdingGateway.url, CHANNELS, undefined, undefined, {
        'x-request-id': `merge-${i}`,
      }),
    ),
  );
  await held.held();
  // No event says that a request reached the merge point; give the other seven time to get there
  // (parse, validate, plan: about a millisecond each) while the first fetch is held.
  await sleep(300);
  held.release();
  for (const answer of await answers) expect(answer.data?.channels.length).toBeGreaterThan(0);
  expect(held.attempts()).toBe(1);
});
