/**
 * The README's example operations, read from its "Example queries" section when GraphiQL is built
 * (web/graphiql/vite.config.ts), so the tabs GraphiQL opens with are the README's own and cannot
 * drift from it. Pure: it takes the README's text and touches no file.
 */

export interface ReadmeOperation {
  /** The bold lead-in the README puts before the example, e.g. "Channels, searched in either language". */
  title: string;
  query: string;
}

const SECTION_HEADING = '## Example queries';

/** The lines of `readme` from the "Example queries" heading to the next second-level heading. */
function exampleSection(readme: string): string[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(SECTION_HEADING);
  if (start < 0) throw new Error(`README.md has no "${SECTION_HEADING}" section`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The GraphQL documents of a shell block: the `"query"` of each `-d '{…}'` JSON body. */
function queriesInShell(block: string): string[] {
  return [...block.matchAll(/-d '(\{"query".*?\})'/g)].flatMap(([, body]) => {
    const parsed: unknown = JSON.parse(body ?? '');
    const query = (parsed as { query?: unknown }).query;
    return typeof query === 'string' ? [query] : [];
  });
}

/**
 * Every operation of the README's examples, in order: each ```graphql block, and the query of
 * each curl example whose JSON body is written out (`-d '{"query": …}'`); the same document twice
 * is kept once. Each is titled by the bold sentence that introduces it.
 */
export function readmeOperations(readme: string): ReadmeOperation[] {
  const operations: ReadmeOperation[] = [];
  const seen = new Set<string>();
  let title = '';
  let fence: { language: string; lines: string[] } | undefined;
  for (const line of exampleSection(readme)) {
    if (fence) {
      if (line.startsWith('```')) {
        const block = fence.lines.join('\n');
        const queries = fence.language === 'graphql' ? [block] : fence.language === 'sh' ? queriesInShell(block) : [];
        for (const query of queries) {
          const key = query.replace(/\s+/g, ' ').trim();
          if (seen.has(key)) continue;
          seen.add(key);
          operations.push({ title, query: `${query.trim()}\n` });
        }
        fence = undefined;
      } else {
        fence.lines.push(line);
      }
      continue;
    }
    const opening = /^```(\w*)/.exec(line);
    if (opening) fence = { language: opening[1] ?? '', lines: [] };
    const lead = /^\*\*(.+?)\*\*/.exec(line);
    if (lead?.[1]) title = lead[1].replace(/[:.]$/, '');
  }
  return operations;
}

/** A tab's text: the README's title as a comment line, then the operation as the README writes it. */
export function tabQuery(operation: ReadmeOperation): string {
  return operation.title ? `# ${operation.title}\n${operation.query}` : operation.query;
}
