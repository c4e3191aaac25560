import { authSettings } from "../shared/auth/auth-settings.js";
import { createDevTokenIssuer } from "../shared/auth/dev-token-issuer.js";
import { runMain } from "../shared/server/run-main.js";
import { loadEdgeConfig } from "./config.js";
import { createEdge } from "./edge-server.js";
import { grpcTransports, internalClients } from "./internal-clients.js";

runMain("edge", async (logger) => {
  const config = loadEdgeConfig();
  const transports = grpcTransports({
    catalog: config.CATALOG_SERVICE_ADDR,
    search: config.SEARCH_SERVICE_ADDR,
    booking: config.BOOKING_SERVICE_ADDR,
  });
  const edge = await createEdge({
    clients: internalClients(transports),
    transports,
    logger,
    upstreamTimeoutMs: config.EDGE_UPSTREAM_TIMEOUT_MS,
    corsOrigins: config.EDGE_CORS_ORIGINS,
    bodyLimitBytes: config.EDGE_BODY_LIMIT_BYTES,
    issueDevToken: config.AUTH_MODE === "dev" ? createDevTokenIssuer(authSettings(config)) : undefined,
  });
  await edge.app.listen({ port: config.PORT, host: "0.0.0.0" });
  return { close: () => edge.close() };
});
