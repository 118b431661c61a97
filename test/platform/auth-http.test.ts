import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../platform/auth.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { startOneSubgraph } from '../../graph/subgraphs.ts';
import type { RunningSubgraph } from '../../platform/server/subgraph-server.ts';
import { postGraphQL } from '../support/graph.ts';

/** The token rules hold where a caller meets a subgraph directly, with the configured lifetime. */
const dataDir = mkdtempSync(join(tmpdir(), 'weiquan-auth-http-'));
const config = loadConfig({
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  SEED_DEMO: 'false',
  SCHEDULER_ENABLED: 'false',
  AUTH_TOKEN_MAX_LIFETIME_SECONDS: '600',
});
let reputation: RunningSubgraph;
beforeAll(async () => {
  reputation = await startOneSubgraph('reputation', config, createLogger('silent', 'test'), 0);
});
afterAll(async () => {
  await reputation.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const PUBLISH = 'mutation { publishRedBlackSnapshot(industry: ECOMMERCE, month: "2026-10") { id } }';

test('a system token cannot publish a red/black snapshot: the subgraph answers 401 UNAUTHENTICATED', async () => {
  const system = await issueToken(config.AUTH_SECRET, { id: 'month-end', role: 'system' }, 60);
  const res = await postGraphQL(reputation.url, PUBLISH, undefined, system);
  expect(res.status).toBe(401);
  expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/system role/) });
  expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('the subgraph applies AUTH_TOKEN_MAX_LIFETIME_SECONDS: an hour-long token is refused at 600 s', async () => {
  const hour = await issueToken(config.AUTH_SECRET, { id: 'editor', role: 'staff' }, 3600);
  const res = await postGraphQL(reputation.url, '{ __typename }', undefined, hour);
  expect(res.status).toBe(401);
  const tenMinutes = await issueToken(config.AUTH_SECRET, { id: 'editor', role: 'staff' }, 600);
  expect((await postGraphQL(reputation.url, '{ __typename }', undefined, tenMinutes)).status).toBe(200);
});
