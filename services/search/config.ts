import { z } from "zod";
import { logLevel, port, postgresUrl } from "../shared/config/env-fields.js";
import { loadConfig } from "../shared/config/load-config.js";

const schema = z.object({
  SEARCH_PORT: port(50052),
  SEARCH_ADMIN_PORT: port(9102),
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: logLevel,
});

export type SearchConfig = z.infer<typeof schema>;
export const loadSearchConfig = (env?: Record<string, string | undefined>) => loadConfig(schema, env);
