import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kind, parse, Source, type DocumentNode } from 'graphql';

export type SubgraphName = 'directory' | 'cases' | 'reputation' | 'accounts';
export const SUBGRAPHS: readonly SubgraphName[] = ['directory', 'cases', 'reputation', 'accounts'];

/** A subgraph's own SDL file. */
export function schemaPath(name: SubgraphName): string {
  return fileURLToPath(new URL(`../../schema/${name}.graphql`, import.meta.url));
}

/** The enums every subgraph shares, written once (composition requires them to be identical). */
export const SHARED_SCHEMA_PATH = fileURLToPath(new URL('../../schema/shared.graphql', import.meta.url));

/** A subgraph's full SDL: the shared enums, then its own file. The server and the composer both read this. */
export function loadTypeDefs(name: SubgraphName): DocumentNode {
  return parseSchemaFiles([SHARED_SCHEMA_PATH, schemaPath(name)]);
}

/** SDL files as one document, parsed file by file so a syntax error names its own file and line. */
export function parseSchemaFiles(paths: readonly string[]): DocumentNode {
  const documents = paths.map((path) => {
    try {
      return parse(new Source(readFileSync(path, 'utf8'), path));
    } catch (error) {
      // A syntax error's message alone has no place; its text form has file:line:column and the line itself.
      throw new Error(String(error), { cause: error });
    }
  });
  return { kind: Kind.DOCUMENT, definitions: documents.flatMap((document) => document.definitions) };
}
