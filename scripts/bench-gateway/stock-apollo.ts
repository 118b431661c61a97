/**
 * Stock `@apollo/gateway` with its defaults over `schema/supergraph.graphql`, served by
 * `@apollo/server`'s standalone server: the benchmark's other comparison target, as its own process:
 * `node stock-apollo.ts <port> <subgraph urls as JSON>`.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { bindSubgraphUrls, SUPERGRAPH_FILE } from '../../gateway/gateway.ts';

const [port, urls] = [Number(process.argv[2]), JSON.parse(process.argv[3] ?? '{}')];
interface Context {
  authorization?: string;
}
// The one addition to the defaults: the caller's token reaches the subgraphs (the documented
// `willSendRequest`), without which CaseOverview would be refused.
class ForwardingAuthorization extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}
const gateway = new ApolloGateway({
  supergraphSdl: bindSubgraphUrls(readFileSync(SUPERGRAPH_FILE, 'utf8'), urls),
  buildService: ({ url }) => new ForwardingAuthorization({ url }),
});
const server = new ApolloServer<Context>({ gateway });
await startStandaloneServer(server, {
  listen: { port, host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
process.send?.('listening');
// Exit normally on the harness's SIGTERM, so that a --cpu-prof profile is written.
process.on('SIGTERM', () => process.exit(0));
