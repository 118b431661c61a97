import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadCatalogue, DEFAULT_CATALOGUE_DIR } from '../../../../subgraphs/directory/data/load.ts';
import { INDUSTRIES } from '../../../../platform/vocabulary.ts';
import type { Catalogue } from '../../../../subgraphs/directory/domain/catalogue.ts';
import {
  buildCatalogue,
  CatalogueError,
  catalogueCompletenessProblems,
} from '../../../../subgraphs/directory/domain/catalogue-validation.ts';
import { catalogue } from './fixtures.ts';

function channelDocument(id: string): Record<string, unknown> {
  return parse(readFileSync(join(DEFAULT_CATALOGUE_DIR, `${id}.yaml`), 'utf8')) as Record<string, unknown>;
}

describe('catalogue validation', () => {
  test('a missing English name fails naming the channel, the field and what was expected', () => {
    const doc = channelDocument('blackcat');
    doc.name = { zh: '黑猫投诉' };
    expect(() => buildCatalogue([{ origin: 'blackcat.yaml', data: doc }])).toThrow(CatalogueError);
    expect(() => buildCatalogue([{ origin: 'blackcat.yaml', data: doc }])).toThrow(
      /channel "blackcat", field name\.en: expected/,
    );
  });

  test('an unknown rule kind names the rule and lists the accepted kinds', () => {
    const doc = channelDocument('miit-telecom') as { ruleVersions: { rules: unknown[] }[] };
    doc.ruleVersions[0].rules.push({ kind: 'phaseOfMoon', basis: ['o35-art10'] });
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /channel "miit-telecom", field ruleVersions\.0\.rules\.7(\.kind)?: expected a rule whose kind is contactBusiness/,
    );
  });

  test('a rule citing a legal basis the version does not list is rejected', () => {
    const doc = channelDocument('spb-postal') as { ruleVersions: { rules: { basis: string[] }[] }[] };
    doc.ruleVersions[0].rules[0].basis = ['spb-art99'];
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /"spb-postal", field ruleVersions\.0\.rules\.0\.basis: expected an id listed in this version's .*"spb-art99"/,
    );
  });

  test('overlapping rule versions are rejected', () => {
    const doc = channelDocument('12315') as { ruleVersions: { validFrom?: string }[] };
    doc.ruleVersions[1].validFrom = '2026-04-01';
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /channel "12315", field ruleVersions\.0\.validTo: expected versions in date order without overlap/,
    );
  });

  test('a bad date names the field and the expected format', () => {
    const doc = channelDocument('12377');
    doc.verifiedAt = '22/11/2026';
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /channel "12377", field verifiedAt: expected a date written YYYY-MM-DD/,
    );
  });

  test('an industry outside the shared vocabulary is rejected', () => {
    const doc = channelDocument('spb-postal') as { scope: { industries: string[] } };
    doc.scope.industries = ['SPACE_TRAVEL'];
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(/channel "spb-postal", field scope\.industries/);
  });

  test('an unquoted text with a comma (which YAML splits into extra keys) is rejected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      const text = readFileSync(join(DEFAULT_CATALOGUE_DIR, 'miit-telecom.yaml'), 'utf8').replace(
        'en: "Address, phone number and postcode"',
        'en: Address, phone number and postcode',
      );
      writeFileSync(join(dir, 'miit-telecom.yaml'), text);
      expect(() => loadCatalogue(dir)).toThrow(
        /"miit-telecom", field ruleVersions\.0\.requiredInformation\.1\.note: .*unknown "phone number and postcode"/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two files with the same id are rejected', () => {
    const doc = channelDocument('12321');
    expect(() =>
      buildCatalogue([
        { origin: 'a.yaml', data: doc },
        { origin: 'b.yaml', data: doc },
      ]),
    ).toThrow(/channel "12321", field id: expected a unique id, but b\.yaml repeats it/);
  });

  test('a file that is not YAML fails naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      writeFileSync(join(dir, 'broken.yaml'), 'id: [unclosed\n');
      expect(() => loadCatalogue(dir)).toThrow(/channel file broken\.yaml is not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('catalogue completeness (checked by the loader across files)', () => {
  const without = (ids: string[]): Catalogue => {
    const channels = catalogue.channels.filter((channel) => !ids.includes(channel.id));
    return { channels, byId: new Map(channels.map((channel) => [channel.id, channel])) };
  };

  test('at least 35 channels, each with a source and a verifiedAt date', () => {
    expect(catalogue.channels.length).toBeGreaterThanOrEqual(35);
    for (const channel of catalogue.channels) {
      expect(channel.sources.length).toBeGreaterThan(0);
      expect(channel.verifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  test('the shipped catalogue has a statutory channel for every industry and only known remit references', () => {
    expect(catalogueCompletenessProblems(catalogue)).toEqual([]);
  });

  test(
    'an industry left without a statutory channel is named (12315 excludes finance, so the three ' +
      'financial regulators are needed)',
    () => {
      const problems = catalogueCompletenessProblems(without(['nfra-12378', 'csrc-12386', 'pboc-12363']));
      expect(problems).toContainEqual(
        'industry FINANCE: expected at least one STATUTORY channel whose scope includes it and whose remit does not ' +
          'exclude it, got none',
      );
      // The remit rules of 12315 and the PBOC line now name missing channels too.
      expect(problems.some((problem) => problem.includes('got "nfra-12378"'))).toBe(true);
    },
  );

  test('every industry is named when no statutory channel is left', () => {
    const statutory = catalogue.channels.filter((channel) => channel.standing === 'STATUTORY').map((c) => c.id);
    const problems = catalogueCompletenessProblems(without(statutory));
    for (const industry of INDUSTRIES)
      expect(problems.some((problem) => problem.startsWith(`industry ${industry}:`))).toBe(true);
  });

  test('a catalogue of one non-statutory channel fails to load, naming the uncovered industries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      writeFileSync(join(dir, 'blackcat.yaml'), readFileSync(join(DEFAULT_CATALOGUE_DIR, 'blackcat.yaml'), 'utf8'));
      expect(() => loadCatalogue(dir)).toThrow(/industry ECOMMERCE: expected at least one STATUTORY channel/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a channel without sources is rejected', () => {
    const doc = channelDocument('nfra-12378');
    doc.sources = [];
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /channel "nfra-12378", field sources: expected at least one source/,
    );
    delete doc.sources;
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(/channel "nfra-12378", field sources: expected/);
  });

  test('a channel without verifiedAt is rejected', () => {
    const doc = channelDocument('caac-consumer');
    delete doc.verifiedAt;
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /channel "caac-consumer", field verifiedAt: expected/,
    );
  });

  test('a remit rule must name the other channels: an empty handledBy is rejected', () => {
    const doc = channelDocument('12315') as { ruleVersions: { rules: { kind: string; handledBy?: string[] }[] }[] };
    const remit = doc.ruleVersions[1].rules.find((rule) => rule.kind === 'outsideRemit')!;
    remit.handledBy = [];
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(
      /channel "12315", field ruleVersions\.1\.rules\.0\.handledBy: expected at least one channel id/,
    );
  });

  test('a limitation period needs exactly one of days, months or years', () => {
    const doc = channelDocument('tourism-complaints') as { ruleVersions: { rules: Record<string, unknown>[] }[] };
    const limitation = doc.ruleVersions[0].rules.find((rule) => rule.kind === 'limitationPeriod')!;
    limitation.months = 3;
    expect(() => buildCatalogue([{ origin: 'x', data: doc }])).toThrow(/expected exactly one of days, months or years/);
  });
});
