import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STORE = new URL('../../../../subgraphs/reputation/store/', import.meta.url).pathname;

describe('reputation store layering', () => {
  it('no store module imports the layers above it (http, resolvers, ingest, the subgraph composition)', () => {
    const upward: string[] = [];
    for (const file of readdirSync(STORE).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(STORE, file), 'utf8');
      for (const [, path] of source.matchAll(/from '([^']+)'/g)) {
        if (/^\.\.\/(http|resolvers|ingest|sources|fetch)\/|^\.\.\/(subgraph|resolvers|main)\.ts$/.test(path))
          upward.push(`${file} imports ${path}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
