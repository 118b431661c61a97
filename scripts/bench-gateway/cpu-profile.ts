/** The shape of a V8 `.cpuprofile` (what `--cpu-prof` writes), as top-frames.ts and compare-profiles.ts read it. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
