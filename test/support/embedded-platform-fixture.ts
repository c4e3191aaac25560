import { createLogger, type Logger } from "../../services/shared/logging/logger.js";
import { loadPlatformConfig } from "../../services/platform/config.js";
import { startEmbeddedPlatform, type EmbeddedPlatform } from "../../services/platform/embedded-platform.js";

/**
 * The embedded platform on free ports with a small in-memory demo, as `npm start` builds it.
 * Silent unless given a logger (see capturedLogger).
 */
export async function startTestPlatform(
  demoEvents = 40,
  logger: Logger = createLogger("test", "silent"),
): Promise<EmbeddedPlatform & { address(service: string): string }> {
  const config = loadPlatformConfig({
    PORT: "0",
    ADMIN_PORT: "0",
    CATALOG_PORT: "0",
    SEARCH_PORT: "0",
    BOOKING_PORT: "0",
    QUEUE_PORT: "0",
    BOXOFFICE_DATA_DIR: "memory",
    DEMO_EVENTS: String(demoEvents),
  });
  const platform = await startEmbeddedPlatform(config, logger);
  const byName = new Map(platform.services.map((service) => [service.name, service.port]));
  return {
    ...platform,
    address: (service) => `127.0.0.1:${service === "edge" ? platform.edgePort : byName.get(service)}`,
  };
}
