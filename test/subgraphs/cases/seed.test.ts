import { openSqlite } from '../../../platform/store/sqlite.ts';
import { seedDemoCases } from '../../../subgraphs/cases/seed.ts';
import { SqliteCaseRepository } from '../../../subgraphs/cases/store/case-repository-sqlite.ts';
import { containsContactDetails } from '../../../subgraphs/cases/domain/redaction.ts';

describe('demo seed', () => {
  test('creates a forwarded and published cases once, with nothing personal published', async () => {
    const repo = new SqliteCaseRepository(openSqlite(':memory:'));
    const now = new Date('2026-11-22T04:00:00Z');
    expect(await seedDemoCases(repo, now)).toBe(5);
    expect(await seedDemoCases(repo, now)).toBe(0);
    const queue = await repo.queue({ statuses: ['forwarded', 'submitted', 'closed', 'withdrawn'] }, { first: 50 });
    expect(queue.items.map((r) => r.status).sort()).toEqual([
      'closed',
      'closed',
      'forwarded',
      'submitted',
      'withdrawn',
    ]);
    const published = await repo.published({}, { first: 10 });
    expect(published.items.map((r) => r.publication?.outcome)).toEqual(['RESOLVED', 'REJECTED']);
    for (const record of published.items) {
      const text = JSON.stringify(record.publication);
      expect(containsContactDetails(text)).toBe(false);
      expect(text).not.toContain(record.complainant.name);
    }
    await repo.close();
  });
});
