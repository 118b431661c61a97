import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { issueToken } from '../../../platform/auth.ts';
import { loadConfig, type Config } from '../../../platform/config.ts';
import { createLogger } from '../../../platform/logger.ts';
import { startOneSubgraph } from '../../../graph/subgraphs.ts';
import type { RunningSubgraph } from '../../../platform/server/subgraph-server.ts';
import { postGraphQL } from '../../support/graph.ts';
import { describeOnTmpfs, mountTmpfs, unmountTmpfs } from '../../support/tmpfs.ts';

/** The cases subgraph on a real full disk: an 8 MiB tmpfs (skipped with the reason where none can be mounted). */
let scratch: string;
let disk: string;
let filler: string;
const logger = createLogger('silent', 'test');

function config(seed: boolean): Config {
  return loadConfig({
    // Not production: it refuses the development token this test files with (issue 15). The
    // storage-full answer is a typed error, formatted the same in every mode.
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: join(disk, 'data'),
    SEED_DEMO: String(seed),
    SCHEDULER_ENABLED: 'false',
    AUTH_SECRET: 'full-disk-test-secret-0123456789abcdef',
    WEBHOOK_SIGNING_SECRET: 'full-disk-test-webhook-secret',
  });
}
/** Leaves `leftBytes` free on the tmpfs. */
function fillDisk(leftBytes: number): void {
  const stats = statfsSync(disk);
  writeFileSync(filler, Buffer.alloc(Math.max(0, Number(stats.bavail) * Number(stats.bsize) - leftBytes)));
}
const readyz = async (url: string) => (await request(url.replace('/graphql', '/readyz'))).statusCode;

const SUBMIT = `mutation Submit($input: SubmitCaseInput!) { submitCase(input: $input) { id status } }`;
const filing = {
  complainant: { name: '张三丰', phone: '13800138000' },
  respondent: { name: '示例电器旗舰店', storeUrl: 'https://mall.example.com/shop/88' },
  industry: 'ECOMMERCE',
  issueType: 'REFUND',
  title: '退货后迟迟不退款',
  description: '九月中旬退回了一台电饭煲，商家签收后一直不退款，客服不再回复。'.repeat(40),
  demands: '退还货款 399 元',
  amount: 399,
  occurredOn: '2026-09-15',
  contactedBusinessOn: '2026-09-18',
  businessOutcome: 'NO_REPLY',
};

let running: RunningSubgraph | undefined;

describeOnTmpfs('cases on a full disk', () => {
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'weiquan-full-disk-'));
    disk = join(scratch, 'disk');
    filler = join(disk, 'filler');
    mkdirSync(disk);
    mountTmpfs(disk, '8m');
  });
  afterAll(async () => {
    try {
      await running?.stop();
    } finally {
      unmountTmpfs(disk);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('submitCase answers SERVICE_UNAVAILABLE "storage full", /readyz fails, and both recover', async () => {
    running = await startOneSubgraph('cases', config(false), logger, 0);
    const token = await issueToken(config(false).AUTH_SECRET, { id: 'user-zhang', role: 'complainant' });
    expect(await readyz(running.url)).toBe(200);

    fillDisk(4096);
    const refused = await postGraphQL(running.url, SUBMIT, { input: filing }, token);
    expect(refused.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/storage full/),
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'cases', reason: 'storage full' },
    });
    expect(JSON.stringify(refused)).not.toContain(disk);
    expect(await readyz(running.url)).toBe(503);

    rmSync(filler);
    expect(await readyz(running.url)).toBe(200);
    const filed = await postGraphQL<{ submitCase: { status: string } }>(running.url, SUBMIT, { input: filing }, token);
    expect(filed.errors).toBeUndefined();
    expect(filed.data?.submitCase.status).toBe('SUBMITTED');
    await running.stop();
    running = undefined;
  });

  test('start-up that seeds onto a full disk fails with "storage full", not "cannot rollback"', async () => {
    rmSync(join(disk, 'data'), { recursive: true, force: true });
    await (await startOneSubgraph('cases', config(false), logger, 0)).stop(); // store created, empty
    fillDisk(64 * 1024); // room to open the store (its -wal and -shm files), not to seed it
    try {
      await expect(startOneSubgraph('cases', config(true), logger, 0)).rejects.toThrow(
        expect.objectContaining({
          message: expect.stringMatching(/^The cases store cannot save changes \(storage full\)/),
        }),
      );
    } finally {
      rmSync(filler);
    }
  });
});
