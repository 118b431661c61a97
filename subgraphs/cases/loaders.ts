import DataLoader from 'dataloader';
import type { EvidenceMetadata } from './domain/evidence.ts';
import type { CaseRecord, CaseRevision, TimelineEvent } from './domain/model.ts';
import type { EvidenceRepository } from './store/evidence.ts';
import type { CaseRepository, EnterpriseFacts } from './store/case-repository.ts';

/**
 * Per-request batching: a page of 50 cases asking for their respondents, timelines and evidence
 * costs one store query per kind of field, not one per case. Fresh per request, so no caller
 * ever sees another request's cached data.
 */
export interface CaseLoaders {
  caseById: DataLoader<string, CaseRecord | null>;
  timeline: DataLoader<string, TimelineEvent[]>;
  revisions: DataLoader<string, CaseRevision[]>;
  enterprise: DataLoader<string, EnterpriseFacts | null>;
  /** What anyone may know of an enterprise: its latest published case's facts. */
  publishedEnterprise: DataLoader<string, EnterpriseFacts | null>;
  evidence: DataLoader<string, EvidenceMetadata | null>;
}

export function createCaseLoaders(repo: CaseRepository, evidence: EvidenceRepository | null): CaseLoaders {
  return {
    caseById: new DataLoader(async (ids) => repo.findByIds(ids)),
    timeline: new DataLoader(async (ids) => {
      const byCase = await repo.timelines(ids);
      return ids.map((id) => byCase.get(id) ?? []);
    }),
    revisions: new DataLoader(async (ids) => {
      const byCase = await repo.revisions(ids);
      return ids.map((id) => byCase.get(id) ?? []);
    }),
    enterprise: new DataLoader(async (ids) => {
      const facts = await repo.enterprises(ids);
      return ids.map((id) => facts.get(id) ?? null);
    }),
    publishedEnterprise: new DataLoader(async (ids) => {
      const facts = await repo.publishedEnterprises(ids);
      return ids.map((id) => facts.get(id) ?? null);
    }),
    evidence: new DataLoader(async (ids) => {
      if (!evidence) return ids.map(() => null);
      const found = new Map((await evidence.findByIds(ids)).map((e) => [e.id, e]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
