/**
 * GraphiQL's tabs are the README's example operations (web/graphiql/readme-operations.ts, read at
 * build time): which ones are found, and that each is valid against the public schema, so a
 * README example that no longer fits the graph fails here rather than in a reader's GraphiQL.
 */
import { readFileSync } from 'node:fs';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { buildASTSchema, parse, validate } from 'graphql';
import { readmeOperations, tabQuery } from '../../../web/graphiql/readme-operations.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const supergraph = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const publicSchema = buildASTSchema(transformSupergraphToPublicSchema(parse(supergraph)));

test('the README examples are found, each once, titled by the sentence before it', () => {
  const operations = readmeOperations(readme);
  const titles = operations.map((operation) => operation.title);
  expect(titles).toEqual(
    expect.arrayContaining([
      'Where can I complain, and from when?',
      'Channels, searched in either language',
      'Journalists: transparent rankings, with their methodology',
      'Filing a complaint',
    ]),
  );
  expect(operations.find((operation) => operation.title === 'Filing a complaint')?.query).toMatch(/^mutation \{/);
  const documents = operations.map((operation) => operation.query.replace(/\s+/g, ' '));
  expect(new Set(documents).size).toBe(documents.length);
});

test('every README example is a valid operation of the public schema', () => {
  for (const operation of readmeOperations(readme)) {
    const errors = validate(publicSchema, parse(tabQuery(operation))).map((error) => error.message);
    expect({ title: operation.title, errors }).toEqual({ title: operation.title, errors: [] });
  }
});

test('curl bodies are read from JSON, and nothing outside "Example queries" is taken', () => {
  const text = [
    '## Before',
    '```graphql',
    '{ notAnExample }',
    '```',
    '## Example queries',
    '**One:**',
    '```sh',
    `curl -d '{"query":"{ channel(id: \\"12315\\") { id } }"}'`,
    '```',
    '## After',
    '```graphql',
    '{ alsoNotAnExample }',
    '```',
  ].join('\n');
  expect(readmeOperations(text)).toEqual([{ title: 'One', query: '{ channel(id: "12315") { id } }\n' }]);
});
