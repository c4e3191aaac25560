import type { ConnectRouter } from "@connectrpc/connect";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { catalogHandlers, type CatalogHandlerDeps } from "./handlers.js";

export function catalogRoutes(deps: CatalogHandlerDeps) {
  return (router: ConnectRouter) => router.service(CatalogService, catalogHandlers(deps));
}
