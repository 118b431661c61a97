/**
 * Prints the GraphQL declarations of the shared vocabularies (platform/vocabulary.ts), for pasting
 * into a subgraph's SDL; test/schema/vocabulary.test.ts fails when an SDL drifts from them.
 */
import { BusinessOutcome, Industry, IssueType } from '../platform/vocabulary.ts';

export function sharedEnumSdl(): string {
  const block = (name: string, description: string, values: Record<string, { zh: string; en: string }>) =>
    `"""${description}"""\nenum ${name} {\n${Object.entries(values)
      .map(([value, label]) => `  """${label.en} (${label.zh})"""\n  ${value}`)
      .join('\n')}\n}\n`;
  return [
    block('Industry', 'The industry a business or a dispute belongs to.', Industry),
    block('IssueType', 'What a complaint is about.', IssueType),
    block('BusinessOutcome', 'What came of complaining to the business itself first.', BusinessOutcome),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(sharedEnumSdl());
