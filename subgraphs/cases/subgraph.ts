import { join } from 'node:path';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { Logger } from 'pino';
import { loadHolidayCalendar } from '../../platform/calendar/index.ts';
import type { Config } from '../../platform/config.ts';
import { Role, type RequestContext } from '../../platform/context.ts';
import { enterpriseResolver } from '../../platform/enterprise/aliases.ts';
import { openEnterpriseRegistry } from '../../platform/enterprise/registry-open.ts';
import type { Ownership } from '../../platform/server/field-policy.ts';
import type { SubgraphDefinition } from '../../platform/server/subgraph-server.ts';
import { connectMongo } from '../../platform/store/mongo.ts';
import { openSqlite } from '../../platform/store/sqlite.ts';
import type { CasePolicy } from './domain/deadlines.ts';
import type { NotificationRecipients } from './domain/outbox.ts';
import { createEvidenceHttpHandler } from './http/evidence-upload.ts';
import { createCaseLoaders } from './loaders.ts';
import { casesOwnership } from './ownership.ts';
import { resolvers, type CasesContext } from './resolvers.ts';
import { startCasesBackgroundJobs } from './scheduler.ts';
import { canViewCase, flagOverdueCases, relinkEnterpriseCases, type CaseCommandDeps } from './commands.ts';
import type { EvidenceStore } from './store/evidence.ts';
import { createMongoEvidenceStore } from './store/evidence-mongo.ts';
import { createSqliteEvidenceStore } from './store/evidence-sqlite.ts';
import { MongoCaseRepository } from './store/case-repository-mongo.ts';
import type { CaseRepository } from './store/case-repository.ts';
import { seedDemoCases } from './seed.ts';
import { SqliteCaseRepository } from './store/case-repository-sqlite.ts';
import { sqliteCasesPublicVersion } from './store/cases-public-version-sqlite.ts';

export function casePolicyFromConfig(config: Config): CasePolicy {
  return {
    calendar: loadHolidayCalendar(),
    acceptWorkingDays: config.ACCEPT_DEADLINE_WORKING_DAYS,
    respondWorkingDays: config.RESPONSE_DEADLINE_WORKING_DAYS,
    appealPeriodDays: config.APPEAL_PERIOD_DAYS,
  };
}

export function recipientsFromConfig(config: Config): NotificationRecipients {
  const hooks = new Map(
    (config.ENTERPRISE_WEBHOOK_URLS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at), pair.slice(at + 1)] as const;
      }),
  );
  return {
    staffEmail: config.STAFF_NOTIFY_EMAIL ?? null,
    staffWebhook: config.STAFF_WEBHOOK_URL ?? null,
    enterpriseWebhook: (enterpriseId) => hooks.get(enterpriseId) ?? null,
  };
}

/** The stores of the slice, opened from config: SQLite under DATA_DIR, or MongoDB when MONGODB_URI is set. */
export interface CasesStores {
  repo: CaseRepository;
  evidence: EvidenceStore;
  /** The SQLite handle (cases.db) when the embedded store is used; the outbox dispatcher shares it. */
  sqlite: SqliteCaseRepository['db'] | null;
  /** The MongoDB handle when MongoDB is used. */
  mongo: MongoCaseRepository['db'] | null;
}

export async function openCasesStores(config: Config): Promise<CasesStores> {
  if (config.MONGODB_URI) {
    const { client, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
    return {
      repo: await MongoCaseRepository.open(client, db),
      evidence: createMongoEvidenceStore(db),
      sqlite: null,
      mongo: db,
    };
  }
  const db = openSqlite(join(config.DATA_DIR, 'cases.db'));
  return {
    repo: new SqliteCaseRepository(db),
    evidence: createSqliteEvidenceStore(db, config.DATA_DIR),
    sqlite: db,
    mongo: null,
  };
}

/**
 * The cases slice. `options.stores` lets tests pass stores they inspect (e.g. a query-counting
 * repository); `options.now` pins the clock.
 */
export async function createCasesSubgraph(
  deps: { config: Config; logger: Logger },
  options: { stores?: CasesStores; now?: () => Date } = {},
): Promise<SubgraphDefinition<RequestContext>> {
  const { config } = deps;
  const stores = options.stores ?? (await openCasesStores(config));
  const now = options.now ?? (() => new Date());
  if (config.SEED_DEMO) {
    const created = await seedDemoCases(stores.repo, now());
    if (created > 0) deps.logger.info({ created }, 'seeded demo cases');
  }
  const registry = await openEnterpriseRegistry(config, stores.mongo);
  const commandDeps: CaseCommandDeps = {
    repo: stores.repo,
    policy: casePolicyFromConfig(config),
    recipients: recipientsFromConfig(config),
    resolver: enterpriseResolver(),
    evidence: stores.evidence.metadata,
    registry,
  };
  /** A representative's cases filed by the enterprise's name alone move under its id before they are asked for. */
  const relinkFor = async (actor: RequestContext['actor']) => {
    if (actor?.role === Role.Enterprise && actor.enterpriseId)
      await relinkEnterpriseCases(commandDeps, actor.enterpriseId);
  };
  const evidenceHttp = createEvidenceHttpHandler({
    store: stores.evidence,
    maxBytes: config.EVIDENCE_MAX_BYTES,
    now,
    viewableViaCase: async (actor, evidence) => {
      // Readable by whoever may see a case it is attached to, whoever uploaded it (e.g. a file
      // staff attached to a complainant's case): one indexed query on the evidence id, narrowed
      // to the caller's own cases, however many cases share the file.
      const filter =
        actor.role === Role.Complainant
          ? { complainantId: actor.id }
          : actor.role === Role.Enterprise && actor.enterpriseId
            ? { enterpriseId: actor.enterpriseId, forwardedOnly: true }
            : null;
      if (!filter) return false;
      await relinkFor(actor);
      const attachedTo = await stores.repo.casesWithEvidence(evidence.id, filter, 1);
      return attachedTo.some((record) => canViewCase(record, actor));
    },
  });
  const jobStore = stores.sqlite
    ? ({ kind: 'sqlite', db: stores.sqlite } as const)
    : stores.mongo
      ? ({ kind: 'mongodb', db: stores.mongo } as const)
      : null;
  if (!jobStore) throw new Error('The cases stores hold neither a SQLite nor a MongoDB handle.');
  // Overdue scheduler and outbox dispatcher (scheduler.ts, notify/), only when SCHEDULER_ENABLED.
  const jobs = await startCasesBackgroundJobs({
    config,
    logger: deps.logger,
    store: jobStore,
    sweep: (at) => flagOverdueCases(commandDeps, at),
    now,
  });
  // MongoDB: null, so the gateway caches no answer with a cases field there. A counter bumped by
  // the adapter would miss writers that bypass it (imports, scripts, the shell), and a change
  // stream needs a replica set and a watcher per process; SQLite's triggers see every writer.
  const publicVersion = stores.sqlite ? sqliteCasesPublicVersion(stores.sqlite) : null;
  return {
    name: 'cases',
    dataVersion: () => publicVersion?.current() ?? null,
    // createContext below always builds a CasesContext, which is what these resolvers read.
    resolvers: resolvers as unknown as GraphQLResolverMap<RequestContext>,
    ownership: casesOwnership as unknown as Ownership<RequestContext>,
    createContext: async (base: RequestContext): Promise<CasesContext> => {
      await relinkFor(base.actor);
      return {
        ...base,
        ...commandDeps,
        loaders: createCaseLoaders(stores.repo, stores.evidence.metadata),
        now,
      };
    },
    checkReady: () => stores.repo.ping(),
    handleHttp: evidenceHttp,
    close: async () => {
      await jobs.stop();
      await registry.close();
      await stores.repo.close();
    },
  };
}
