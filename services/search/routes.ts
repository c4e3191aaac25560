import type { ConnectRouter } from "@connectrpc/connect";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { searchHandlers } from "./handlers.js";
import type { EventSearch } from "./domain/event-search.js";

export function searchRoutes(deps: { search: EventSearch }) {
  return (router: ConnectRouter) => router.service(SearchService, searchHandlers(deps));
}
