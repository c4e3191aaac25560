import type { ConnectRouter } from "@connectrpc/connect";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { queueHandlers, type QueueHandlerDeps } from "./handlers.js";

export function queueRoutes(deps: QueueHandlerDeps) {
  return (router: ConnectRouter) => router.service(QueueService, queueHandlers(deps));
}
