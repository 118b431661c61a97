import { join } from 'node:path';
import type { Db } from 'mongodb';
import type { Config } from '../config.ts';
import { ensureIndexes } from '../store/mongo.ts';
import { openSqlite } from '../store/sqlite.ts';
import type { EnterpriseRegistry } from './registry.ts';
import { ENTERPRISE_LINK_INDEXES, createMongoEnterpriseRegistry } from './registry-mongo.ts';
import { createSqliteEnterpriseRegistry } from './registry-sqlite.ts';

/**
 * The registry for a slice: in the slice's MongoDB database when it runs on MongoDB (every slice
 * shares MONGODB_DB), else `enterprises.db` under DATA_DIR (a handle of its own per slice).
 */
export async function openEnterpriseRegistry(config: Config, mongo: Db | null): Promise<EnterpriseRegistry> {
  if (mongo) {
    await ensureIndexes(mongo, ENTERPRISE_LINK_INDEXES);
    return createMongoEnterpriseRegistry(mongo);
  }
  return createSqliteEnterpriseRegistry(openSqlite(join(config.DATA_DIR, 'enterprises.db')));
}
