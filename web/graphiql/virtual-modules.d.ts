/** The README's example operations, read by web/graphiql/vite.config.ts when GraphiQL is built. */
declare module 'virtual:readme-operations' {
  import type { ReadmeOperation } from './readme-operations.ts';
  export const readmeOperations: ReadmeOperation[];
}
