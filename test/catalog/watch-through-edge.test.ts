import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { watch } from "./watch-client.js";

describe("a live seat map in the browser, through the edge of the embedded platform", () => {
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let base: string;

  beforeAll(async () => {
    platform = await startTestPlatform(12);
    base = `http://${platform.address("edge")}`;
  });

  afterAll(async () => {
    await platform?.close();
  });

  async function signIn(userId: string): Promise<Headers> {
    const response = await fetch(`${base}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId }),
    });
    return new Headers({ authorization: `Bearer ${((await response.json()) as { token: string }).token}` });
  }

  it("shows one browser the seats another browser reserves and releases", async () => {
    // As @connectrpc/connect-web does it: the Connect protocol over HTTP/1.1.
    const transport = createConnectTransport({ baseUrl: base, httpVersion: "1.1" });
    const [event] = await platform.db("events")
      .where({ high_demand: false })
      .where("on_sale_at", "<=", new Date())
      .where("starts_at", ">", new Date())
      .orderBy("starts_at")
      .select("id")
      .limit(1);
    const tickets: string[] = await platform.db("tickets").where({ event_id: event.id }).orderBy("id").limit(2).pluck("id");

    const seatMap = watch(createClient(CatalogService, transport), event.id);
    try {
      await eventually(async () => expect(seatMap.state.size).toBeGreaterThan(0));
      expect(seatMap.state.get(tickets[0]!)).toBe("available");

      const booking = createClient(BookingService, transport);
      const headers = await signIn("bob");
      const { reservation } = await booking.reserveTickets({ eventId: event.id, ticketIds: tickets }, { headers });
      await seatMap.until(tickets[0]!, "reserved");
      await seatMap.until(tickets[1]!, "reserved");

      await booking.releaseReservation({ reservationId: reservation!.id }, { headers });
      await seatMap.until(tickets[0]!, "available");
      await seatMap.until(tickets[1]!, "available");
      expect(seatMap.failure()).toBeUndefined();
    } finally {
      await seatMap.stop();
    }
  });
});
