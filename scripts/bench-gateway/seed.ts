/**
 * Seeds a data directory for the gateway benchmark: listings through `scripts/generate-listings.ts`
 * (its own process, with the statistics rollups), cases written straight to the cases store as
 * `scripts/bench-cases.ts` does, with respondents drawn from the same synthetic enterprises so that
 * a case's respondent has a reputation, and one case in five closed and published.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, chinaDateOf } from '../../platform/calendar/index.ts';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import { openSqlite, transaction } from '../../platform/store/sqlite.ts';
import { INDUSTRIES } from '../../platform/vocabulary.ts';
import { CASE_STATUSES, type CaseRecord, type CaseStatus } from '../../subgraphs/cases/domain/model.ts';
import { SqliteCaseRepository } from '../../subgraphs/cases/store/case-repository-sqlite.ts';
import { seededRandom } from '../seeded-random.ts';
import { syntheticCase, syntheticCaseWriter } from '../synthetic-cases.ts';

export interface Scale {
  cases: number;
  listings: number;
  enterprises: number;
}

/**
 * The complainants the cases are spread over. Each is a real account that signs in once (about
 * 0.6 s of scrypt), so there are few, each with many cases.
 */
export const COMPLAINANTS = 8;
export const COMPLAINANT_IDS = Array.from({ length: COMPLAINANTS }, (_, i) => `bench-user-${i}`);
export const complainantOf = (caseIndex: number) => COMPLAINANT_IDS[caseIndex % COMPLAINANTS];

/** The name `generate-listings.ts` gives its enterprise number `i` (from 0). */
export const syntheticEnterpriseName = (i: number) => `合成样本企业${i + 1}号有限公司`;

const GENERATE_LISTINGS = fileURLToPath(new URL('../generate-listings.ts', import.meta.url));

export function seedListings(dataDir: string, scale: Scale, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(
    process.execPath,
    [GENERATE_LISTINGS, '--records', String(scale.listings), '--enterprises', String(scale.enterprises)],
    { env: { ...env, DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn' }, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`generate-listings exited with ${result.status}`);
}

/** Writes `scale.cases` cases; returns the ids of a sample of them with their complainants. */
export function seedCases(dataDir: string, scale: Scale): Array<{ id: string; complainantId: string }> {
  const repo = new SqliteCaseRepository(openSqlite(join(dataDir, 'cases.db')));
  const random = seededRandom(7);
  const resolver = enterpriseResolver();
  // The busiest synthetic enterprises draw most cases, as they draw most listings.
  const respondentCount = Math.min(scale.enterprises, 2000);
  const enterprises = Array.from({ length: respondentCount }, (_, i) => {
    const name = syntheticEnterpriseName(i);
    return { name, id: resolver.resolve({ name }).id, industry: INDUSTRIES[i % INDUSTRIES.length] };
  });
  const cases = syntheticCaseWriter(repo.db);
  const sample: Array<{ id: string; complainantId: string }> = [];
  const start = Date.parse('2025-06-01T00:00:00Z');
  const span = 540 * 86_400_000;
  transaction(repo.db, () => {
    for (let i = 0; i < scale.cases; i++) {
      const enterprise = enterprises[Math.floor(respondentCount * random() ** 3)];
      const published = i % 5 === 0;
      const status: CaseStatus = published
        ? 'closed'
        : (CASE_STATUSES[Math.floor(random() * CASE_STATUSES.length)] as CaseStatus);
      const submittedAt = new Date(start + Math.floor((i / scale.cases) * span)).toISOString();
      const submittedOn = chinaDateOf(new Date(submittedAt));
      const base = syntheticCase({
        index: i,
        status,
        submittedAt,
        complainantId: complainantOf(i),
        respondent: enterprise,
        industry: enterprise.industry,
        random,
      });
      // Every case here says the business was asked first and did not answer, and one in five was
      // closed and published, so the public feed has pages to serve.
      const publishedAt = published ? new Date(Date.parse(submittedAt) + 20 * 86_400_000).toISOString() : null;
      const record: CaseRecord = {
        ...base,
        closedAt: published ? submittedAt : null,
        closedFrom: published ? 'resolved' : null,
        respondBy: base.forwardedAt ? addDays(submittedOn, 17) : null,
        contactedBusinessOn: addDays(submittedOn, -2),
        businessOutcome: 'NO_REPLY',
        publication: publishedAt
          ? {
              respondentName: enterprise.name,
              respondentCreditCode: null,
              complainantName: '王*',
              title: base.title,
              facts: '基准测试公开事实摘要，内容无实际意义。',
              enterpriseReply: null,
              outcome: 'RESOLVED',
              publishedAt,
            }
          : null,
      };
      cases.write(record);
      if (i % Math.max(1, Math.floor(scale.cases / 2000)) === 0)
        sample.push({ id: record.id, complainantId: record.complainantId });
    }
  });
  repo.db.exec('ANALYZE');
  repo.db.close();
  return sample;
}
