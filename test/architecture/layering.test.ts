/**
 * The layering the README promises, checked by reading every source file's imports (static
 * `import`/`export … from` and dynamic `import(…)`, found by TypeScript's own pre-processor so
 * comments and strings never count):
 * - `platform/` is the spine: it imports no slice, no gateway, no script and not the composition root;
 * - a slice (`subgraphs/<name>/`) imports `platform/` and never another slice (nor what sits above it);
 * - `gateway/` imports no slice: it knows the subgraphs only by name and URL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/process.ts';

/** The top-level folders whose code ships; `test/` may import anything. */
const SOURCE_ROOTS = ['platform', 'subgraphs', 'gateway', 'graph', 'scripts'];
/** What sits above the spine and the slices: the gateway, the composition root, the start and tool scripts. */
const ABOVE_SLICES = ['gateway', 'graph', 'scripts'];

interface ImportEdge {
  /** Repository-relative path of the importing file, with `/` separators. */
  from: string;
  /** Repository-relative path the specifier resolves to, or the bare package name. */
  to: string;
}

function topFolder(path: string): string {
  return path.split('/')[0];
}

function sliceOf(path: string): string | null {
  const [top, name] = path.split('/');
  return top === 'subgraphs' && name ? name : null;
}

/** Every import that breaks the layering, as `from → to (rule)`; empty when the layering holds. */
function layeringViolations(edges: ImportEdge[]): string[] {
  const violations: string[] = [];
  for (const { from, to } of edges) {
    const fromTop = topFolder(from);
    const toTop = topFolder(to);
    const broken = (rule: string) => violations.push(`${from} → ${to} (${rule})`);
    if (fromTop === 'platform' && (toTop === 'subgraphs' || ABOVE_SLICES.includes(toTop))) {
      broken('platform/ imports no slice, gateway, script or composition root');
    }
    const fromSlice = sliceOf(from);
    const toSlice = sliceOf(to);
    if (fromSlice && toSlice && fromSlice !== toSlice) broken('a slice never imports another slice');
    if (fromSlice && ABOVE_SLICES.includes(toTop)) broken('a slice imports nothing that sits above the slices');
    if (fromTop === 'gateway' && toTop === 'subgraphs') broken('gateway/ imports no slice');
  }
  return violations;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.includes('/node_modules/'));
}

/** The imports of one file, resolved against its folder (package imports are kept as written). */
function importsOf(file: string, text: string): ImportEdge[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map(({ fileName }) => ({
    from: file,
    to: fileName.startsWith('.') ? posix.join(posix.dirname(file), fileName) : fileName,
  }));
}

function repositoryImports(): ImportEdge[] {
  return SOURCE_ROOTS.flatMap(sourceFiles).flatMap((file) =>
    importsOf(file, readFileSync(join(REPO_ROOT, file), 'utf8')),
  );
}

test('the repository’s imports follow the layering: platform, then slices, then gateway and composition root', () => {
  const edges = repositoryImports();
  expect(edges.length).toBeGreaterThan(100);
  expect(layeringViolations(edges)).toEqual([]);
});

test('the import reader sees static, re-exported, type-only and dynamic imports, not commented ones', () => {
  const text = [
    "import { a } from '../../subgraphs/cases/a.ts';",
    "import type { B } from '../gateway/b.ts';",
    "export { c } from './c.ts';",
    "const d = await import('../../graph/subgraphs.ts');",
    "// import { e } from '../../subgraphs/e.ts';",
    "import pino from 'pino';",
  ].join('\n');
  expect(importsOf('platform/server/x.ts', text).map((edge) => edge.to)).toEqual([
    'subgraphs/cases/a.ts',
    'platform/gateway/b.ts',
    'platform/server/c.ts',
    'graph/subgraphs.ts',
    'pino',
  ]);
});

test('platform importing a slice, the gateway, a script or the composition root is a violation', () => {
  const found = layeringViolations([
    { from: 'platform/server/x.ts', to: 'subgraphs/cases/subgraph.ts' },
    { from: 'platform/server/x.ts', to: 'gateway/gateway.ts' },
    { from: 'platform/config.ts', to: 'scripts/start.ts' },
    { from: 'platform/config.ts', to: 'graph/subgraphs.ts' },
    { from: 'platform/config.ts', to: 'platform/errors.ts' },
    { from: 'platform/config.ts', to: 'zod' },
  ]);
  expect(found).toHaveLength(4);
});

test('a slice importing another slice, or the gateway importing a slice, is a violation', () => {
  const found = layeringViolations([
    { from: 'subgraphs/reputation/sources/weiquan.ts', to: 'subgraphs/cases/domain/case.ts' },
    { from: 'subgraphs/cases/main.ts', to: 'graph/subgraphs.ts' },
    { from: 'gateway/gateway.ts', to: 'subgraphs/cases/subgraph.ts' },
    { from: 'subgraphs/cases/subgraph.ts', to: 'subgraphs/cases/domain/case.ts' },
    { from: 'subgraphs/cases/subgraph.ts', to: 'platform/errors.ts' },
    { from: 'graph/subgraphs.ts', to: 'subgraphs/cases/subgraph.ts' },
  ]);
  expect(found).toEqual([
    'subgraphs/reputation/sources/weiquan.ts → subgraphs/cases/domain/case.ts (a slice never imports another slice)',
    'subgraphs/cases/main.ts → graph/subgraphs.ts (a slice imports nothing that sits above the slices)',
    'gateway/gateway.ts → subgraphs/cases/subgraph.ts (gateway/ imports no slice)',
  ]);
});

test('the layering test reads the folder the composition root lives in', () => {
  expect(sourceFiles('graph')).toContain('graph/subgraphs.ts');
});
