import type { CaseContent, CaseRevision } from './model.ts';

/** One changed field between two revisions; values are rendered as text (null when absent). */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** A revision read back as what it changed compared with the one before it. */
export interface RevisionDiff {
  version: number;
  at: string;
  actorId: string;
  changes: FieldChange[];
}

function render(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function flatten(content: CaseContent): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(content)) {
    if (value !== null && typeof value === 'object') {
      for (const [sub, inner] of Object.entries(value)) fields.set(`${key}.${sub}`, inner);
    } else fields.set(key, value);
  }
  return fields;
}

/** The field-by-field changes from `before` to `after`; `before` null lists every field filed. */
export function diffContent(before: CaseContent | null, after: CaseContent): FieldChange[] {
  const old = before ? flatten(before) : new Map<string, unknown>();
  const changes: FieldChange[] = [];
  for (const [field, value] of flatten(after)) {
    const previous = old.get(field) ?? null;
    if (render(previous) !== render(value)) changes.push({ field, before: render(previous), after: render(value) });
  }
  return changes;
}

/** Every revision in version order, each as the diff from its predecessor (the first against nothing). */
export function revisionDiffs(revisions: readonly CaseRevision[]): RevisionDiff[] {
  const ordered = [...revisions].sort((a, b) => a.version - b.version);
  return ordered.map((revision, index) => ({
    version: revision.version,
    at: revision.at,
    actorId: revision.actorId,
    changes: diffContent(index === 0 ? null : ordered[index - 1].content, revision.content),
  }));
}
