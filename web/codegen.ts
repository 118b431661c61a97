/**
 * Typed operations from the graph's public schema: the committed supergraph, stripped to what
 * clients see. Codegen fails when a `.graphql` operation next to a page no longer fits the schema,
 * and `tsc` fails when a page uses a field the operation does not select.
 */
import { readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { parse, print } from 'graphql';

const supergraph = readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
const publicSchema = print(transformSupergraphToPublicSchema(parse(supergraph)));

const config: CodegenConfig = {
  schema: publicSchema,
  documents: ['web/src/**/*.graphql'],
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Date: 'string', DateTime: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
  silent: true,
};

export default config;
