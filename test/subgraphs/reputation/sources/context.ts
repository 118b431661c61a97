import { readFileSync } from 'node:fs';
import { enterpriseResolver } from '../../../../platform/enterprise/aliases.ts';
import type { CrawlContext } from '../../../../subgraphs/reputation/sources/types.ts';

export const BASE = 'http://fixture.test/blackcat';

export function context(overrides: Partial<CrawlContext> = {}): CrawlContext {
  return { baseUrl: BASE, resolver: enterpriseResolver(), since: null, ...overrides };
}

export function fixture(path: string): string {
  return readFileSync(new URL(`../../../fixtures/listings/${path}`, import.meta.url), 'utf8');
}
