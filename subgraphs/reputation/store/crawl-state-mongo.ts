import type { Db, Document, IndexDescription } from 'mongodb';
import type { ListingSource } from '../domain/listing.ts';
import { reviveCrawlState, type CrawlState, type CrawlStateRepository, type HttpValidators } from './crawl-state.ts';

export const CRAWL_STATE_COLLECTION = 'crawl_state';

/** `_id` is the source name: nothing else to index. */
export const CRAWL_STATE_INDEXES: Record<string, IndexDescription[]> = { [CRAWL_STATE_COLLECTION]: [] };

/** ETag map keys are URLs (dots, dollars): stored as a list of pairs, not as a sub-document. */
export function crawlStateDocument(state: CrawlState, now: number): Document {
  const { validators, ...rest } = state;
  return {
    ...rest,
    _id: state.source,
    validators: Object.entries(validators).map(([url, v]) => ({ url, ...v })),
    updatedAt: now,
  };
}

export function crawlStateFromDocument(doc: Document): CrawlState {
  const { _id, updatedAt: _updated, validators, ...rest } = doc;
  const pairs = (validators as Array<{ url: string } & HttpValidators> | undefined) ?? [];
  return reviveCrawlState(String(_id) as ListingSource, {
    ...(rest as Partial<CrawlState>),
    validators: Object.fromEntries(pairs.map(({ url, ...kept }) => [url, kept])),
  });
}

export function createMongoCrawlStateRepository(db: Db): CrawlStateRepository {
  const states = db.collection<Document>(CRAWL_STATE_COLLECTION);
  return {
    async get(source) {
      const doc = await states.findOne({ _id: source } as Document);
      return doc ? crawlStateFromDocument(doc) : null;
    },
    async save(state, now = Date.now()) {
      await states.replaceOne({ _id: state.source } as Document, crawlStateDocument(state, now), { upsert: true });
    },
    async list() {
      const docs = await states.find({}).sort({ _id: 1 }).toArray();
      return docs.map(crawlStateFromDocument);
    },
  };
}
