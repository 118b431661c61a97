import { API_KEY_HEADER } from '../../platform/app-keys.ts';
import type { TestGraph } from './graph.ts';

/** Registers an app as the holder of `token` (whose account must exist): the key's id and the key. */
export async function registerAppKey(graph: TestGraph, token: string, name = 'test app') {
  const answer = await graph.query<{ registerAppKey: { key: string; appKey: { id: string } } }>(
    'mutation($name: String!) { registerAppKey(name: $name) { key appKey { id } } }',
    { name },
    token,
  );
  if (!answer.data) throw new Error(`registerAppKey failed: ${JSON.stringify(answer.errors)}`);
  return { id: answer.data.registerAppKey.appKey.id, key: answer.data.registerAppKey.key };
}

/** The headers that present `key` to the gateway. */
export const appKeyHeaders = (key: string): Record<string, string> => ({ [API_KEY_HEADER]: key });
