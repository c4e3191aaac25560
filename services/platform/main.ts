import { runMain } from "../shared/server/run-main.js";
import { loadPlatformConfig } from "./config.js";
import { startEmbeddedPlatform } from "./embedded-platform.js";

runMain("boxoffice", async (logger) => {
  const config = loadPlatformConfig();
  const platform = await startEmbeddedPlatform(config, logger);
  const [sample] = await platform.db("events").where({ high_demand: true }).select("id").limit(1);
  const base = `http://localhost:${platform.edgePort}`;
  console.log(
    [
      "",
      `boxoffice is running (embedded: PGlite, in-process holds, PostgreSQL full-text search)`,
      `  web app      ${base}/`,
      `  search       curl '${base}/events/search?term=tayl'`,
      sample ? `  view event   curl ${base}/events/${sample.id as string}` : "",
      `  sign in      curl -X POST ${base}/auth/token -H 'content-type: application/json' -d '{"userId":"alice"}'`,
      `  Connect RPC  curl ${base}/boxoffice.search.v1.SearchService/SearchEvents -H 'content-type: application/json' -d '{"term":"jazz"}'`,
      "Press Ctrl+C to stop.",
      "",
    ]
      .filter(Boolean)
      .join("\n"),
  );
  return platform;
});
