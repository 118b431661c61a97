import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

export type SubgraphName = 'directory' | 'cases' | 'reputation';
export const SUBGRAPHS: readonly SubgraphName[] = ['directory', 'cases', 'reputation'];

/** A subgraph's own SDL file. */
export function schemaPath(name: SubgraphName): string {
  return fileURLToPath(new URL(`../../schema/${name}.graphql`, import.meta.url));
}

/** The enums every subgraph shares, written once (composition requires them to be identical). */
export const SHARED_SCHEMA_PATH = fileURLToPath(new URL('../../schema/shared.graphql', import.meta.url));

/** A subgraph's full SDL: the shared enums, then its own file. The server and the composer both read this. */
export function subgraphSdl(name: SubgraphName): string {
  return `${readFileSync(SHARED_SCHEMA_PATH, 'utf8')}\n${readFileSync(schemaPath(name), 'utf8')}`;
}

export function loadTypeDefs(name: SubgraphName): DocumentNode {
  return parse(subgraphSdl(name));
}
