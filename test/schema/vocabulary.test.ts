import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, type EnumTypeDefinitionNode, type FieldDefinitionNode } from 'graphql';
import { SUBGRAPHS } from '../../scripts/compose.ts';
import { loadTypeDefs, parseSchemaFiles, schemaPath } from '../../platform/server/sdl.ts';
import { BUSINESS_OUTCOMES, INDUSTRIES, ISSUE_TYPES } from '../../platform/vocabulary.ts';

const shared: Record<string, string[]> = {
  Industry: INDUSTRIES,
  IssueType: ISSUE_TYPES,
  BusinessOutcome: BUSINESS_OUTCOMES,
};

describe.each(SUBGRAPHS)('schema/%s.graphql', (name) => {
  const document = loadTypeDefs(name);

  test('declares each shared enum with exactly the values of platform/vocabulary.ts', () => {
    const declared: string[] = [];
    for (const definition of document.definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION && shared[definition.name.value]) {
        declared.push(definition.name.value);
        const values = (definition as EnumTypeDefinitionNode).values?.map((value) => value.name.value);
        expect({ enum: definition.name.value, values }).toEqual({
          enum: definition.name.value,
          values: shared[definition.name.value],
        });
      }
    }
    expect(declared.sort()).toEqual(Object.keys(shared).sort());
  });

  test('describes every type and every field', () => {
    const missing: string[] = [];
    for (const definition of document.definitions) {
      if (!('name' in definition) || !definition.name) continue;
      const typeName = definition.name.value;
      const isExtension = definition.kind.endsWith('_EXTENSION');
      if (!isExtension && !('description' in definition && definition.description)) missing.push(typeName);
      const fields = ('fields' in definition ? definition.fields : undefined) as
        | readonly (FieldDefinitionNode | { name: { value: string }; description?: unknown })[]
        | undefined;
      for (const field of fields ?? []) {
        if (!field.description) missing.push(`${typeName}.${field.name.value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('links Federation 2', () => {
    expect(readFileSync(schemaPath(name), 'utf8')).toMatch(
      /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/,
    );
  });
});

test('a syntax error in a schema file names that file and its own line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdl-'));
  try {
    const broken = join(dir, 'broken.graphql');
    writeFileSync(broken, '"""A type."""\ntype Broken {\n  field: String!!\n}\n');
    expect(() => parseSchemaFiles([broken])).toThrow(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
