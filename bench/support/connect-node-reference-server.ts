import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";

/**
 * The reference the internal hop is measured against: the same routes and interceptors served
 * by connect-node on node:http2, as the services ran before they moved to grpc-js.
 */
export async function startConnectNodeServer(routes: (router: ConnectRouter) => void, interceptors: Interceptor[]) {
  const server = http2.createServer({}, connectNodeAdapter({ routes, interceptors }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
