import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goToolBinary } from "../../bench/support/go-tools.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { requireService } from "../support/real-services.js";

const run = promisify(execFile);
const grpcurl = goToolBinary("grpcurl");
const haveGrpcurl = requireService("grpcurl (bash scripts/bench/install-tools.sh builds it)", grpcurl !== undefined);

let platform: Awaited<ReturnType<typeof startTestPlatform>>;

beforeAll(async () => {
  if (haveGrpcurl) platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
});

/** grpcurl as a person would type it: no -proto, no -protoset, only what the server tells. */
async function grpcurlOn(service: string, command: string[], flags: string[] = []): Promise<string> {
  const { stdout } = await run(grpcurl!, ["-plaintext", "-max-time", "10", ...flags, platform.address(service), ...command]);
  return stdout;
}

const grpcurlCall = async (service: string, method: string, body: object, headers: string[] = []) =>
  JSON.parse(await grpcurlOn(service, [method], [...headers.flatMap((header) => ["-H", header]), "-d", JSON.stringify(body)])) as Record<string, unknown>;

describe.skipIf(!haveGrpcurl)("gRPC server reflection (grpcurl, no .proto files)", () => {
  it.each([
    ["catalog", "boxoffice.catalog.v1.CatalogService"],
    ["search", "boxoffice.search.v1.SearchService"],
    ["booking", "boxoffice.booking.v1.BookingService"],
    ["queue", "boxoffice.queue.v1.QueueService"],
  ])("lists and describes %s", async (name, typeName) => {
    expect((await grpcurlOn(name, ["list"])).split("\n")).toEqual(expect.arrayContaining([typeName, "grpc.health.v1.Health"]));
    const described = await grpcurlOn(name, ["describe", typeName]);
    expect(described).toContain(`${typeName} is a service`);
    expect(described).toMatch(/rpc \w+ \( \.boxoffice\./);
  });

  it("describes a request message down to its imported types", async () => {
    const described = await grpcurlOn("catalog", ["describe", "boxoffice.catalog.v1.VenueInput"]);
    expect(described).toContain(".boxoffice.common.v1.SeatMap seat_map = 7;");
    expect(await grpcurlOn("catalog", ["describe", "boxoffice.common.v1.SeatMap"])).toContain("message SeatMap");
  });

  it("calls one method of each service from the reflected contract", async () => {
    const found = await grpcurlCall("search", "boxoffice.search.v1.SearchService/SearchEvents", { pageSize: 1 });
    const [event] = found.events as Array<{ id: string; name: string }>;
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);

    const viewed = await grpcurlCall("catalog", "boxoffice.catalog.v1.CatalogService/GetEvent", { eventId: event!.id });
    expect((viewed.event as { name: string }).name).toBe(event!.name);

    const signIn = await fetch(`http://${platform.address("edge")}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"userId":"grpcurl"}' });
    const { token } = (await signIn.json()) as { token: string };
    const bookings = await grpcurlCall("booking", "boxoffice.booking.v1.BookingService/ListMyBookings", {}, [`authorization: Bearer ${token}`]);
    expect(bookings).toEqual({});
  });
});

describe("gRPC server reflection, the older v1alpha protocol (grpcui, Postman)", () => {
  it.skipIf(!haveGrpcurl)("lists the services too", async () => {
    const proto = createRequire(import.meta.url).resolve("@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto");
    const definition = grpc.loadPackageDefinition(loadSync(proto)) as unknown as {
      grpc: { reflection: { v1alpha: { ServerReflection: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & { serverReflectionInfo(): grpc.ClientDuplexStream<object, { listServicesResponse?: { service: Array<{ name: string }> } }> } } } };
    };
    const client = new definition.grpc.reflection.v1alpha.ServerReflection(platform.address("booking"), grpc.credentials.createInsecure());
    try {
      const call = client.serverReflectionInfo();
      const answer = new Promise<string[]>((resolve, reject) => {
        call.on("data", (response) => resolve((response.listServicesResponse?.service ?? []).map((service: { name: string }) => service.name)));
        call.on("error", reject);
      });
      call.write({ listServices: "*" });
      expect(await answer).toEqual(expect.arrayContaining(["boxoffice.booking.v1.BookingService"]));
      call.end();
    } finally {
      client.close();
    }
  });
});
