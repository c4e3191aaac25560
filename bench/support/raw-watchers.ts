/**
 * N binary Connect WatchEventTickets streams to an edge, opened 100 at a time, each read as it
 * comes (bench/watcher-memory.ts runs it as a child process). Sends its parent a message once
 * every stream has had its first bytes.
 *
 *   node --import tsx bench/support/raw-watchers.ts BASE_URL N
 */
import { Agent, request } from "node:http";
import { create, toBinary } from "@bufbuild/protobuf";
import { CatalogService, WatchEventTicketsRequestSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";

const [base, count] = process.argv.slice(2) as [string, string];
const EVENT_ID = "00000000-0000-4000-8000-000000000001";
const message = toBinary(WatchEventTicketsRequestSchema, create(WatchEventTicketsRequestSchema, { eventId: EVENT_ID }));
const body = Buffer.alloc(message.length + 5);
body.writeUInt32BE(message.length, 1);
body.set(message, 5);
const agent = new Agent({ keepAlive: true });
let opened = 0;
for (let i = 0; i < Number(count); i++) {
  const call = request(
    `${base}/${CatalogService.typeName}/${CatalogService.method.watchEventTickets.name}`,
    { method: "POST", agent, headers: { "content-type": "application/connect+proto", "connect-protocol-version": "1" } },
    (response) => {
      let first = true;
      response.on("data", () => {
        if (first && ++opened === Number(count)) process.send?.("open");
        first = false;
      });
    },
  );
  call.end(body);
  if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
}
