import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { normaliseCreditCode } from './credit-code.ts';
import { createEnterpriseResolver, type AliasEntry, type EnterpriseResolver } from './identity.ts';

const aliasFileSchema = z.object({
  aliases: z.array(
    z.object({
      canonicalName: z.string().min(1),
      creditCode: z
        .string()
        .refine(
          (code) => normaliseCreditCode(code) !== null,
          'a unified social credit code with a valid check character',
        )
        .optional(),
      names: z.array(z.string().min(1)).min(1),
    }),
  ),
});

export const ALIAS_FILE = fileURLToPath(new URL('./aliases.yaml', import.meta.url));

/** Reads and validates the reviewed alias table; a broken file names the entry and field. */
export function loadAliasTable(path = ALIAS_FILE): AliasEntry[] {
  const parsed = aliasFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: invalid alias table at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data.aliases;
}

let shared: EnterpriseResolver | undefined;

/** The process-wide resolver over the committed alias table. */
export function enterpriseResolver(): EnterpriseResolver {
  shared ??= createEnterpriseResolver(loadAliasTable());
  return shared;
}
