import { readFileSync } from 'node:fs';
import { parse, Kind, type EnumTypeDefinitionNode, type ObjectTypeDefinitionNode, type FieldDefinitionNode } from 'graphql';
import { SUBGRAPHS } from '../../scripts/compose.ts';
import { schemaPath, subgraphSdl } from '../../platform/server/sdl.ts';
import { BUSINESS_OUTCOMES, INDUSTRIES, ISSUE_TYPES } from '../../platform/vocabulary.ts';

const shared: Record<string, string[]> = { Industry: INDUSTRIES, IssueType: ISSUE_TYPES, BusinessOutcome: BUSINESS_OUTCOMES };

describe.each(SUBGRAPHS)('schema/%s.graphql', (name) => {
  const document = parse(subgraphSdl(name));

  test('declares each shared enum with exactly the values of platform/vocabulary.ts', () => {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION && shared[definition.name.value]) {
        const values = (definition as EnumTypeDefinitionNode).values?.map((value) => value.name.value);
        expect({ enum: definition.name.value, values }).toEqual({ enum: definition.name.value, values: shared[definition.name.value] });
      }
    }
  });

  test('describes every type and every field', () => {
    const missing: string[] = [];
    for (const definition of document.definitions) {
      if (!('name' in definition) || !definition.name) continue;
      const typeName = definition.name.value;
      const isExtension = definition.kind.endsWith('_EXTENSION');
      if (!isExtension && !('description' in definition && definition.description)) missing.push(typeName);
      const fields = ('fields' in definition ? definition.fields : undefined) as readonly (FieldDefinitionNode | { name: { value: string }; description?: unknown })[] | undefined;
      for (const field of fields ?? []) {
        if (!field.description) missing.push(`${typeName}.${field.name.value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('links Federation 2', () => {
    expect(readFileSync(schemaPath(name), 'utf8')).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
  });
});

// Keeps the imported node types referenced for readers of this file.
export type { ObjectTypeDefinitionNode };
