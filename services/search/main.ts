import { closeDatabase, createDatabase } from "../shared/db/database.js";
import { runMain } from "../shared/server/run-main.js";
import { startService } from "../shared/server/start-service.js";
import { loadSearchConfig } from "./config.js";
import { searchService } from "./search-service.js";

runMain("search", async (logger) => {
  const config = loadSearchConfig();
  const db = createDatabase({ kind: "postgres", url: config.DATABASE_URL });
  const service = await startService(searchService({ db }), { port: config.SEARCH_PORT, adminPort: config.SEARCH_ADMIN_PORT }, logger);
  return {
    async close() {
      await service.close();
      await closeDatabase(db);
    },
  };
});
