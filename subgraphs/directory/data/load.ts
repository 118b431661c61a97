import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Catalogue } from '../domain/catalogue.ts';
import { buildCatalogue, CatalogueError, catalogueCompletenessProblems } from '../domain/catalogue-validation.ts';

export const DEFAULT_CATALOGUE_DIR = fileURLToPath(new URL('./channels/', import.meta.url));

/**
 * Reads every `*.yaml` channel file in `dir` and validates the whole catalogue at once, including the
 * checks across files (remit references, a statutory channel for every industry).
 */
export function loadCatalogue(dir: string = DEFAULT_CATALOGUE_DIR): Catalogue {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  const documents = files.map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    try {
      return { origin: file, data: parseYaml(text) as unknown };
    } catch (error) {
      throw new CatalogueError(
        `Invalid channel catalogue: channel file ${basename(file)} is not valid YAML: ${(error as Error).message}`,
      );
    }
  });
  if (documents.length === 0) throw new CatalogueError(`Invalid channel catalogue: no *.yaml channel files in ${dir}`);
  const catalogue = buildCatalogue(documents);
  const problems = catalogueCompletenessProblems(catalogue);
  if (problems.length > 0) throw new CatalogueError(`Invalid channel catalogue:\n  ${problems.join('\n  ')}`);
  return catalogue;
}
