import type { Db, IndexDescription } from 'mongodb';
import type { EnterpriseLink, EnterpriseRegistry } from './registry.ts';

export const ENTERPRISE_LINKS_COLLECTION = 'enterprise_links';

type LinkDocument = Omit<EnterpriseLink, 'nameId'> & { _id: string };

export const ENTERPRISE_LINK_INDEXES: Record<string, IndexDescription[]> = {
  [ENTERPRISE_LINKS_COLLECTION]: [{ key: { enterpriseId: 1 }, name: 'enterprise_links_enterprise' }],
};

/** The registry on MongoDB, in the database every slice shares; the slice that opened `db` closes it. */
export function createMongoEnterpriseRegistry(db: Db): EnterpriseRegistry {
  const links = db.collection<LinkDocument>(ENTERPRISE_LINKS_COLLECTION);
  return {
    async link({ nameId, ...link }) {
      // $setOnInsert: the first link of a name stands.
      await links.updateOne({ _id: nameId }, { $setOnInsert: link }, { upsert: true });
      const { _id, ...stored } = (await links.findOne({ _id: nameId })) as LinkDocument;
      return { nameId: _id, ...stored };
    },
    async linkedId(nameId) {
      return (await links.findOne({ _id: nameId }))?.enterpriseId ?? null;
    },
    async nameIdsOf(enterpriseId) {
      return (await links.find({ enterpriseId }).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    },
    async close() {},
  };
}
