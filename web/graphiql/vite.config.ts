/**
 * Builds GraphiQL (web/graphiql/) into web/dist next to the site, as its own build: it is React
 * (the site's build aliases React to Preact) and is served only outside production, so its files
 * go under assets/graphiql/ (hashed names), which the gateway refuses in production, and its page
 * is graphiql.html, which the gateway serves at GET /graphql alone. The README's example
 * operations become the module `virtual:readme-operations`, read from README.md at build time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { readmeOperations } from './readme-operations.ts';

export const README_FILE = fileURLToPath(new URL('../../README.md', import.meta.url));

function readmeOperationsModule(): Plugin {
  const id = 'virtual:readme-operations';
  return {
    name: 'readme-operations',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      this.addWatchFile(README_FILE);
      const operations = readmeOperations(readFileSync(README_FILE, 'utf8'));
      return `export const readmeOperations = ${JSON.stringify(operations)};`;
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [readmeOperationsModule()],
  build: {
    outDir: '../dist',
    emptyOutDir: false,
    assetsDir: 'assets/graphiql',
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      // framer-motion's "use client" marks are for React server components, which this page is not.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
