/**
 * Just enough of the V8 inspector protocol (over Node's own WebSocket) for the soak to look inside
 * the processes it started with `--inspect=127.0.0.1:0`: the heap in use after a full garbage
 * collection, which RSS cannot tell apart from heap the process has grown into and kept, and heap
 * snapshots to compare what is retained.
 */

/** The inspector URL a process prints on stderr when started with `--inspect`. */
export function inspectorUrlIn(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}

export interface HeapAfterGc {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

export interface Inspector {
  /** Collects garbage (full, twice: weak callbacks free more on the second) and reads process.memoryUsage(). */
  heapAfterGc(): Promise<HeapAfterGc>;
  /** Writes a heap snapshot (v8.writeHeapSnapshot) to `path` in the inspected process. */
  writeHeapSnapshot(path: string): Promise<void>;
  /**
   * Samples allocations (every `intervalBytes` on average) until the returned function is called,
   * which answers the sampled bytes per allocating function, collected objects included: what
   * makes garbage, not only what stays.
   */
  sampleAllocations(intervalBytes?: number): Promise<() => Promise<AllocationSample[]>>;
  close(): void;
}

export interface AllocationSample {
  /** `function (file:line)`, the file relative to the project or its package under node_modules. */
  frame: string;
  bytes: number;
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

function allocationsByFrame(head: SamplingNode): AllocationSample[] {
  const bytes = new Map<string, number>();
  const visit = (node: SamplingNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/node_modules\//, '')
      .replace(/^.*\/(?=gateway|platform|subgraphs)/, '');
    const frame = `${functionName || '(anonymous)'} (${file || 'native'}:${lineNumber + 1})`;
    if (node.selfSize > 0) bytes.set(frame, (bytes.get(frame) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(head);
  return [...bytes].map(([frame, size]) => ({ frame, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

export async function connectInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const call = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) call?.reject(new Error(message.error.message));
    else call?.resolve(message.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  const evaluate = async (expression: string) => {
    const { result } = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: unknown };
    };
    return result.value;
  };
  return {
    async heapAfterGc() {
      await send('HeapProfiler.collectGarbage');
      await send('HeapProfiler.collectGarbage');
      return JSON.parse(String(await evaluate('JSON.stringify(process.memoryUsage())'))) as HeapAfterGc;
    },
    async writeHeapSnapshot(path) {
      await evaluate(`process.getBuiltinModule('node:v8').writeHeapSnapshot(${JSON.stringify(path)})`);
    },
    async sampleAllocations(intervalBytes = 32 * 1024) {
      await send('HeapProfiler.startSampling', {
        samplingInterval: intervalBytes,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return async () => {
        const { profile } = (await send('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
        return allocationsByFrame(profile.head);
      };
    },
    close: () => socket.close(),
  };
}
