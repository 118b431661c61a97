/**
 * Builds the web site (web/) into web/dist when its sources changed since the last build: typed
 * operations from the schema (GraphQL Code Generator), then the Vite builds of the site and of
 * GraphiQL (web/graphiql/, its tabs read from the README's examples). `npm start` and
 * `npm test` run it first, so a fresh clone serves a current site with no separate step.
 * `--codegen` only regenerates the typed operations (the type check needs them);
 * `--force` builds even when nothing changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');
export const WEB_DIST = join(WEB, 'dist');
const STAMP = join(WEB_DIST, '.source-hash');
const GENERATED = join(WEB, 'src', 'gql');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === GENERATED ? [] : filesUnder(path);
    return [path];
  });
}

/** One hash over everything the build reads: the site's sources, its configuration, the schema, the lockfile. */
function sourceHash(): string {
  const inputs = [
    ...filesUnder(join(WEB, 'src')),
    ...filesUnder(join(WEB, 'graphiql')),
    join(WEB, 'index.html'),
    join(WEB, 'vite.config.ts'),
    join(WEB, 'codegen.ts'),
    join(ROOT, 'schema', 'supergraph.graphql'),
    join(ROOT, 'package-lock.json'),
    // GraphiQL's tabs are the README's example operations.
    join(ROOT, 'README.md'),
  ].sort();
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export async function generateTypedOperations(): Promise<void> {
  const { generate } = await import('@graphql-codegen/cli');
  const { default: config } = await import('../web/codegen.ts');
  const previous = process.cwd();
  process.chdir(ROOT);
  try {
    await generate(config, true);
  } finally {
    process.chdir(previous);
  }
}

export async function buildWeb(options: { force?: boolean } = {}): Promise<'built' | 'fresh'> {
  const hash = sourceHash();
  const fresh = existsSync(STAMP) && statSync(STAMP).isFile() && readFileSync(STAMP, 'utf8') === hash;
  if (fresh && !options.force) return 'fresh';
  await generateTypedOperations();
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  // GraphiQL second: its build adds graphiql.html and assets/graphiql/ to the site's web/dist.
  await build({ configFile: join(WEB, 'graphiql', 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(STAMP, hash);
  return 'built';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  if (process.argv.includes('--codegen')) {
    await generateTypedOperations();
  } else {
    const outcome = await buildWeb({ force: process.argv.includes('--force') });
    const took = ((Date.now() - started) / 1000).toFixed(1);
    console.log(outcome === 'built' ? `web: built web/dist in ${took} s` : 'web: web/dist is up to date');
  }
}
