import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

// A plain gRPC client built from the .proto files, independent of connect-es: if our servers
// answer it, they speak gRPC as every other language's client does.

const root = resolve(import.meta.dirname, "../..");
const includeDirs = [
  resolve(root, "proto"),
  resolve(root, ".proto-deps/protovalidate"),
  resolve(root, "node_modules/grpc-health-check/proto"),
];

// Loaded on first use, not at import: benchmarks import the spawn helpers beside this module and
// must start on a fresh clone, where buf/validate/validate.proto is fetched on demand.
let loadedPackages: Record<string, any> | undefined;
function loaded(): Record<string, any> {
  if (loadedPackages) return loadedPackages;
  if (!existsSync(resolve(root, ".proto-deps/protovalidate/buf/validate/validate.proto"))) {
    execFileSync("bash", ["scripts/proto/deps.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  }
  const definition = protoLoader.loadSync(
    [
      "boxoffice/catalog/v1/catalog.proto",
      "boxoffice/search/v1/search.proto",
      "boxoffice/booking/v1/booking.proto",
      "health/v1/health.proto",
    ],
    { includeDirs, keepCase: true, longs: String, enums: String, defaults: true, oneofs: true },
  );
  loadedPackages = grpc.loadPackageDefinition(definition) as unknown as Record<string, any>;
  return loadedPackages;
}

type Unary = (request: object, metadata?: grpc.Metadata) => Promise<any>;
export type GrpcJsClient<M extends string = string> = Record<M, Unary> & { close(): void };

function promisify<M extends string>(client: grpc.Client, methods: readonly M[]): GrpcJsClient<M> {
  const wrapped: Record<string, unknown> = { close: () => client.close() };
  for (const name of methods) {
    const method = (client as unknown as Record<string, Function>)[name];
    if (typeof method !== "function") throw new Error(`the proto has no method ${name}`);
    wrapped[name] = (request: object, metadata = new grpc.Metadata()) =>
      new Promise((ok, fail) =>
        method.call(client, request, metadata, { deadline: Date.now() + 10_000 }, (error: Error | null, response: unknown) =>
          error ? fail(error) : ok(response),
        ),
      );
  }
  return wrapped as GrpcJsClient<M>;
}

const insecure = grpc.credentials.createInsecure();

export const grpcJs = {
  health: (address: string) => promisify(new (loaded().grpc.health.v1.Health)(address, insecure), ["check"]),
  catalog: (address: string) =>
    promisify(new (loaded().boxoffice.catalog.v1.CatalogService)(address, insecure), ["getEvent", "createVenue", "createEvent"]),
  search: (address: string) => promisify(new (loaded().boxoffice.search.v1.SearchService)(address, insecure), ["searchEvents"]),
  booking: (address: string) =>
    promisify(new (loaded().boxoffice.booking.v1.BookingService)(address, insecure), [
      "reserveTickets",
      "confirmBooking",
      "releaseReservation",
      "getBooking",
      "listMyBookings",
    ]),
};

export function bearer(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

export { grpc };
