import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seatState } from "../../services/catalog/domain/seat-availability.js";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { eventually } from "../support/spawned-service.js";

interface LayoutJson {
  layout: { version: string; seatCount: number; sections: Array<{ code: string; firstPosition: number; seatCount: number }>; sectionTicketIds: string[] };
}
interface AvailabilityJson {
  layoutVersion: string;
  version: string;
  seats: string;
}

const bitsOf = (availability: AvailabilityJson) => new Uint8Array(Buffer.from(availability.seats, "base64"));

describe("the stadium view's HTTP caching at the edge of the embedded platform", () => {
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let base: string;
  let eventId: string;

  beforeAll(async () => {
    platform = await startTestPlatform(12);
    base = `http://${platform.address("edge")}`;
    const [event] = await platform.db("events").where("on_sale_at", "<=", new Date()).where("starts_at", ">", new Date()).where({ status: "scheduled" }).orderBy("starts_at").select("id").limit(1);
    eventId = event.id;
  });

  afterAll(async () => {
    await platform?.close();
  });

  it("answers a layout addressed by version as immutable, with a strong ETag and 304 for a client that has it", async () => {
    const current = await fetch(`${base}/events/${eventId}/layout`);
    expect(current.status).toBe(200);
    expect(current.headers.get("cache-control")).toBe("public, max-age=5");
    const { layout } = (await current.json()) as LayoutJson;
    expect(layout.seatCount).toBeGreaterThan(0);

    const versioned = await fetch(`${base}/events/${eventId}/layout/${layout.version}`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const tag = versioned.headers.get("etag")!;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(((await versioned.json()) as LayoutJson).layout.version).toBe(layout.version);

    const revalidated = await fetch(`${base}/events/${eventId}/layout/${layout.version}`, { headers: { "if-none-match": tag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(tag);

    const stale = await fetch(`${base}/events/${eventId}/layout/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(stale.status).toBe(404);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toContain(layout.version);
  });

  it("answers the Connect GET of a versioned layout as immutable too", async () => {
    const { layout } = (await (await fetch(`${base}/events/${eventId}/layout`)).json()) as LayoutJson;
    const message = encodeURIComponent(JSON.stringify({ eventId, version: layout.version }));
    const response = await fetch(`${base}/boxoffice.catalog.v1.CatalogService/GetEventLayout?connect=v1&encoding=json&message=${message}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("etag")).toBeTruthy();
  });

  it("answers availability cacheable for a second with an ETag, 304 while unchanged, and shows a seat reserved through booking", async () => {
    const first = await fetch(`${base}/events/${eventId}/availability`, { headers: { "accept-encoding": "gzip" } });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=1");
    const tag = first.headers.get("etag")!;
    const before = (await first.json()) as AvailabilityJson;
    const unchanged = await fetch(`${base}/events/${eventId}/availability`, { headers: { "if-none-match": tag, "accept-encoding": "gzip" } });
    expect(unchanged.status).toBe(304);

    const code = await firstFreeSection(before);
    const { layout } = (await (await fetch(`${base}/events/${eventId}/layout?section=${encodeURIComponent(code)}`)).json()) as LayoutJson;
    const section = layout.sections.find((s) => s.code === code)!;
    const position = firstAvailable(bitsOf(before), section.firstPosition, section.seatCount);
    const ticketId = layout.sectionTicketIds[position - section.firstPosition]!;

    const token = ((await (await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "carol" }) })).json()) as { token: string }).token;
    const reserved = await fetch(`${base}/booking/reserve`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ eventId, ticketIds: [ticketId] }),
    });
    expect(reserved.status).toBe(200);
    const after = await eventually(async () => {
      const response = await fetch(`${base}/events/${eventId}/availability`, { headers: { "if-none-match": tag } });
      expect(response.status).toBe(200);
      return (await response.json()) as AvailabilityJson;
    }, 5_000, 100);
    expect(after.version).not.toBe(before.version);
    expect(seatState(bitsOf(after), position)).toBe("reserved");
  });

  /** A section with an available seat, by the counts the availability gives. */
  async function firstFreeSection(availability: AvailabilityJson): Promise<string> {
    const { layout } = (await (await fetch(`${base}/events/${eventId}/layout`)).json()) as LayoutJson;
    const bits = bitsOf(availability);
    return layout.sections.find((s) => firstAvailable(bits, s.firstPosition, s.seatCount) >= 0)!.code;
  }
});

function firstAvailable(bits: Uint8Array, from: number, count: number): number {
  for (let position = from; position < from + count; position++) if (seatState(bits, position) === "available") return position;
  return -1;
}
