/**
 * GraphiQL, built from the `graphiql` package by our own Vite build (web/graphiql/vite.config.ts)
 * and served by the gateway at GET /graphql to a browser outside production
 * (gateway/web-assets.ts): nothing is loaded from a CDN. It opens with the README's example
 * operations as tabs, and keeps its state in memory only: a header pasted into it (a bearer token)
 * never reaches localStorage, and a reload opens the README's tabs again.
 */
import type { Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { readmeOperations } from 'virtual:readme-operations';
import { tabQuery } from './readme-operations.ts';

/** The Web Storage interface over a Map: GraphiQL's tabs, history and layout, for this page's life only. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, String(value));
  }
}

/** POST to our own /graphql with the headers typed into GraphiQL's headers editor. */
const fetcher: Fetcher = async (params, options) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  return response.json();
};

const container = document.getElementById('graphiql');
if (!container) throw new Error('graphiql.html has no #graphiql element');
createRoot(container).render(
  createElement(
    GraphiQL,
    {
      fetcher,
      storage: new MemoryStorage(),
      shouldPersistHeaders: false,
      defaultTabs: readmeOperations.map((operation) => ({ query: tabQuery(operation) })),
    },
    // Our name in place of GraphiQL's logo, a link off the origin.
    createElement(GraphiQL.Logo, null, 'Weiquan · GraphiQL'),
  ),
);
