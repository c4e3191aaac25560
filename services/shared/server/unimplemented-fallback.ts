import { Code } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";

type NodeHandler = NonNullable<ConnectNodeAdapterOptions["fallback"]>;

/**
 * What a path no route serves answers: a gRPC (or gRPC-Web) call gets UNIMPLEMENTED as a gRPC
 * server sends it (HTTP 200, grpc-status 12 in a trailers-only response), so clients in every
 * language read the code and the method's name; anything else keeps plain HTTP's 404.
 */
export const unimplementedFallback: NodeHandler = (request, response) => {
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.startsWith("application/grpc")) {
    response.writeHead(404);
    response.end();
    return;
  }
  const path = (request.url ?? "").split("?", 1)[0];
  const headers = {
    "content-type": contentType,
    // connect-es numbers its codes as gRPC does: 12.
    "grpc-status": String(Code.Unimplemented),
    // Percent-encoded as gRPC asks; encodeURI leaves the slashes, which grpc-js does not decode.
    "grpc-message": encodeURI(`unknown method ${path}: this server does not serve it`),
  };
  // Over HTTP/2 the status must come in the one HEADERS frame that ends the stream: clients
  // (grpc-js among them) read headers as trailers only then, which Node's compat response cannot send.
  if ("stream" in request) {
    request.stream.respond({ ":status": 200, ...headers }, { endStream: true });
    return;
  }
  response.writeHead(200, headers);
  response.end();
};
