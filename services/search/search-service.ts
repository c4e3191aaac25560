import type { Knex } from "knex";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { databaseProbe } from "../shared/db/database-probe.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import { createPostgresFullTextSearch } from "./adapters/postgres/postgres-full-text-search.js";
import { createEventSearch } from "./domain/event-search.js";
import { searchRoutes } from "./routes.js";

export interface SearchAdapters {
  db: Knex;
}

/** Search on PostgreSQL full text; the search-engine backend plugs in behind the same port. */
export function searchService(adapters: SearchAdapters): ServiceDefinition {
  const search = createEventSearch({ backend: createPostgresFullTextSearch(adapters.db) });
  return {
    name: "search",
    serviceNames: [SearchService.typeName],
    routes: searchRoutes({ search }),
    probes: [databaseProbe(adapters.db)],
  };
}
