import { z } from "zod";
import { authFields, logLevel, port, postgresUrl, redisUrlList } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";

const schema = z.object({
  CATALOG_PORT: port(50051),
  CATALOG_ADMIN_PORT: port(9101),
  DATABASE_URL: postgresUrl,
  REDIS_LOCK_URLS: redisUrlList,
  LOG_LEVEL: logLevel,
  ...authFields,
});

export type CatalogConfig = z.infer<typeof schema>;
export const loadCatalogConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
