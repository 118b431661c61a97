import type { Config } from '../platform/config.ts';

/** The runtime's per-request CORS decision: the options for this request, or false for no CORS headers. */
type CorsFor = (request: Request) => false | { origin: string[]; credentials: boolean; methods: string[] };

/**
 * Which browser origins may call the gateway (CORS_ORIGINS). Unset: none, and no CORS headers at
 * all (the runtime's default reflected any Origin with credentials). `*`: any origin, never with
 * credentials. A list: those origins exactly, each echoed alone; any other origin, including the
 * `null` origin of sandboxed frames and files, gets no CORS headers.
 */
export function corsFor(origins: Config['CORS_ORIGINS']): CorsFor {
  const methods = ['GET', 'POST'];
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origins || !origin) return false;
    if (origins === '*') return { origin: [origin], credentials: false, methods };
    return origins.includes(origin) ? { origin: [origin], credentials: true, methods } : false;
  };
}
