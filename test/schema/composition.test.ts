import { readFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../../scripts/compose.ts';

test('the subgraph schemas compose into a supergraph (the errors are printed when they do not)', () => {
  const result = composeSupergraph();
  if ('errors' in result) throw new Error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  expect(result.supergraphSdl).toContain('@join__graph(name: "cases"');
});

test('the committed schema/supergraph.graphql is what the current subgraph schemas compose to', () => {
  const result = composeSupergraph();
  if ('errors' in result) throw new Error(`Composition failed:\n- ${result.errors.join('\n- ')}`);
  const committed = readFileSync(SUPERGRAPH_PATH, 'utf8');
  if (committed !== result.supergraphSdl) {
    throw new Error('schema/supergraph.graphql is stale: run `npm run compose` and commit it.');
  }
});
