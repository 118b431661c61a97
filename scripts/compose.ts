/**
 * Composes schema/shared.graphql + schema/<subgraph>.graphql offline into schema/supergraph.graphql,
 * the static supergraph the gateway loads (it never introspects at run time). Run after any SDL change
 * and commit both.
 * `--check` exits non-zero when the committed supergraph is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { loadTypeDefs, SUBGRAPHS } from '../platform/server/sdl.ts';

export { SUBGRAPHS };
export const SUPERGRAPH_PATH = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));

/** The URL written into the supergraph is a placeholder: the gateway overrides it from config. */
export function composeSupergraph(): { supergraphSdl: string } | { errors: string[] } {
  const services = SUBGRAPHS.map((name) => ({
    name,
    url: `http://${name}.weiquan.internal/graphql`,
    typeDefs: loadTypeDefs(name),
  }));
  const result = composeServices(services);
  if (result.errors && result.errors.length > 0) return { errors: result.errors.map((error) => error.message) };
  if (result.supergraphSdl === undefined) throw new Error('composition: expected a supergraph or errors, got neither');
  return { supergraphSdl: `${result.supergraphSdl.trim()}\n` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = composeSupergraph();
  if ('errors' in result) {
    console.error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
    process.exit(1);
  }
  if (process.argv.includes('--check')) {
    const committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
    if (committed !== result.supergraphSdl) {
      console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit it.');
      process.exit(1);
    }
    console.log('schema/supergraph.graphql is up to date.');
  } else {
    writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
    console.log(`Wrote ${SUPERGRAPH_PATH}`);
  }
}
