import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Wire } from "../../../gen/health/v1/health_pb.js";
import type { HealthRegistry, ServingStatus } from "./health-registry.js";

const toWire: Record<ServingStatus, Wire> = {
  SERVING: Wire.SERVING,
  NOT_SERVING: Wire.NOT_SERVING,
  SERVICE_UNKNOWN: Wire.SERVICE_UNKNOWN,
};

/** The standard grpc.health.v1.Health service, answered from the registry. */
export function healthRoutes(registry: HealthRegistry) {
  return (router: ConnectRouter) =>
    router.service(Health, {
      check(request) {
        if (!registry.knows(request.service)) {
          throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
        }
        return { status: toWire[registry.status(request.service)] };
      },
      async *watch(request, context) {
        for await (const status of registry.watch(request.service, context.signal)) {
          yield { status: toWire[status] };
        }
      },
      list() {
        return {
          statuses: Object.fromEntries(
            registry.names().map((name) => [name, { status: toWire[registry.status(name)] }]),
          ),
        };
      },
    });
}
