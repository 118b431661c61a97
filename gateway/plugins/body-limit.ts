import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/errors.ts';

function payloadTooLarge(maxBytes: number, declared?: number): GraphQLError {
  const size = declared === undefined ? 'exceeds' : `is ${declared} bytes, over`;
  return new GraphQLError(`The request body ${size} the limit of ${maxBytes} bytes.`, {
    extensions: { code: ErrorCode.PayloadTooLarge, limit: maxBytes, http: { status: 413 } },
  });
}

/**
 * The GraphQL body limit, the same as every subgraph's (GRAPHQL_MAX_BODY_BYTES), so a body the
 * gateway accepts is never refused upstream (which surfaced as SERVICE_UNAVAILABLE). The runtime's
 * own limit is 25 MB and cannot be configured through it. A declared `content-length` is refused
 * before reading; a chunked (or encoded) body is counted as it streams and refused once past the limit.
 */
export function useBodyLimit(maxBytes: number): GatewayPlugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > maxBytes) throw payloadTooLarge(maxBytes, Number(declared));
      if (!requestParser || !request.body) return;
      // Node's HTTP parser hands over exactly the declared length of a body (the rest of the stream is
      // the next request), so a declared length within the limit needs no counting; a body the runtime
      // would decompress first (content-encoding) still does. Counting every body was about 0.1 ms of
      // CPU per request (a transform stream and a second Request), issue 17.
      if (declared !== null && Number.isSafeInteger(Number(declared)) && !request.headers.has('content-encoding')) {
        return;
      }
      let bytesRead = 0;
      // As the runtime's own limit does: a native stream needs the native TransformStream, the
      // server adapter's own stream its own.
      const Transform = request.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
      const limited = request.body.pipeThrough(
        new Transform<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            bytesRead += chunk.byteLength;
            if (bytesRead > maxBytes) controller.error(payloadTooLarge(maxBytes));
            else controller.enqueue(chunk);
          },
        }),
      );
      const limitedRequest = new fetchAPI.Request(request.url, {
        method: request.method,
        headers: request.headers,
        signal: request.signal,
        body: limited,
        duplex: 'half',
      } as RequestInit);
      const parse = requestParser;
      setRequestParser(() => parse(limitedRequest));
    },
  };
}
