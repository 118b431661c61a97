/** How far a source's feed was read: stored as JSON in its crawl state. */
export interface Checkpoint {
  progress: number;
}

export function readCheckpoint(text: string | null): Checkpoint | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Checkpoint>;
    return typeof value.progress === 'number' ? { progress: value.progress } : null;
  } catch {
    return null;
  }
}
