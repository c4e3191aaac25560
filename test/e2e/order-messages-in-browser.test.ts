import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfirmBookingRequestSchema, HoldStatus, ReserveTicketsRequestSchema, ReserveTicketsResponseSchema } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { DEGRADED_MESSAGE } from "../../services/booking/domain/reserve-tickets.js";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { chooseSeats, otherBuyer, payWith, reserve, screenshot, seat, upcomingEventAt, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());
/** Short enough for a test to watch a hold run out; long enough to pay within in the others. */
const HOLD_TTL_SECONDS = 6;
const TAKEN = /^Sorry, .+, row \w+, seat \d+ was just taken by another buyer\. Choose other seats\.$/;
const EXPIRED = "Your hold expired and the seats were released. Choose seats again.";

describe.skipIf(!enabled)("what the event page tells a buyer when an order goes wrong", () => {
  let suite: BrowserSuite;
  let buyers = 0;

  beforeAll(async () => {
    suite = await startBrowserSuite({ BOOKING_HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS) });
  });

  afterAll(async () => {
    await suite?.close();
  });

  /** A buyer in a browser of their own, on the page of the skip-th upcoming show at The Laughing Cellar. */
  async function buyerOnEvent(skip: number, prepare?: (page: Page) => Promise<unknown>) {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await prepare?.(page);
    const event = await upcomingEventAt(suite.platform.db, "The Laughing Cellar", skip);
    await page.goto(`${suite.platform.baseUrl}/event/${event.id}`);
    await page.getByRole("heading", { level: 1, name: event.name }).waitFor(WAIT);
    buyers += 1;
    return { page, event, userId: `e2e-buyer-${buyers}` };
  }
  /** The order panel's notice, once it says this. */
  const notice = (page: Page, saying: string | RegExp) => page.locator(".order-notice", { hasText: saying });

  it("seat just taken, live: another buyer reserves a chosen seat; the map shows it reserved, drops it from the order and says so", async () => {
    const { page, event } = await buyerOnEvent(0);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    const [taken, kept] = await chooseSeats(page, 2);

    const rival = await otherBuyer(suite.platform.baseUrl, "e2e-rival-1");
    expect((await rival.reserve(event.id, [taken!])).status).toBe(200);

    await seat(page, taken!, "reserved").waitFor(WAIT);
    await notice(page, TAKEN).waitFor(WAIT);
    await seat(page, kept!, "selected").waitFor(WAIT);
    await page.getByRole("button", { name: "Reserve 1 seat" }).waitFor(WAIT);
    await screenshot(page, "30-seat-taken-live");
  });

  it("seat just taken, at reserve: the other hold lands before the page hears of it; Reserve is refused for that seat only", async () => {
    // The page's live feed is held back, as on a slow connection: it cannot know before it asks.
    const stalled: Route[] = [];
    const { page, event, userId } = await buyerOnEvent(1, (p) => p.route("**/boxoffice.catalog.v1.CatalogService/WatchEventTickets", (route) => void stalled.push(route)));
    const [taken, kept] = await chooseSeats(page, 2);

    const rival = await otherBuyer(suite.platform.baseUrl, "e2e-rival-2");
    expect((await rival.reserve(event.id, [taken!])).status).toBe(200);
    await reserve(page, "Reserve 2 seats", userId);

    await seat(page, taken!, "reserved").waitFor(WAIT);
    await notice(page, TAKEN).waitFor(WAIT);
    await seat(page, kept!, "selected").waitFor(WAIT);
    expect(await page.getByRole("timer").count()).toBe(0);
    await screenshot(page, "31-seat-taken-at-reserve");

    // the seat that is still free can be held at once
    await reserve(page, "Reserve 1 seat");
    await page.getByRole("timer").waitFor(WAIT);
    await seat(page, kept!, "mine").waitFor(WAIT);
    for (const route of stalled) await route.abort();
  });

  it("hold expired: when the countdown runs out the page says so and gives the seats up, which another buyer can then hold", async () => {
    const { page, event, userId } = await buyerOnEvent(2);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    const ticketIds = await chooseSeats(page, 2);
    await reserve(page, "Reserve 2 seats", userId);
    const timer = page.getByRole("timer");
    await timer.waitFor(WAIT);
    expect(await timer.textContent()).toMatch(/^0:0\d$/);
    for (const id of ticketIds) await seat(page, id, "mine").waitFor(WAIT);

    await notice(page, EXPIRED).waitFor(WAIT);
    expect(await timer.count()).toBe(0);
    // the hold is gone on the server too: the live map shows the seats free, and they can be held
    for (const id of ticketIds) await seat(page, id, "available").waitFor(WAIT);
    await screenshot(page, "32-hold-expired");
    const next = await otherBuyer(suite.platform.baseUrl, "e2e-next-in-line");
    expect((await next.reserve(event.id, ticketIds)).status).toBe(200);
  });

  it("Redis-degraded mode: a reserve answered without a hold says so, shows no countdown, and the seats are bought directly", async () => {
    // The embedded platform's holds live in process and cannot fail, so the booking service's
    // degraded answer is given here, as the edge would relay it; paying is the real thing.
    const { page, event, userId } = await buyerOnEvent(3, (p) =>
      p.route("**/boxoffice.booking.v1.BookingService/ReserveTickets", async (route) => {
        const asked = fromBinary(ReserveTicketsRequestSchema, route.request().postDataBuffer()!);
        const degraded = create(ReserveTicketsResponseSchema, {
          reservation: { eventId: asked.eventId, ticketIds: asked.ticketIds, holdStatus: HoldStatus.DEGRADED_NO_HOLD, message: DEGRADED_MESSAGE },
        });
        await route.fulfill({ status: 200, contentType: "application/proto", body: Buffer.from(toBinary(ReserveTicketsResponseSchema, degraded)) });
      }),
    );
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    const ticketIds = await chooseSeats(page, 2);
    await reserve(page, "Reserve 2 seats", userId);

    expect(await notice(page, DEGRADED_MESSAGE).getAttribute("class", WAIT)).toContain("notice-info");
    expect(await page.getByRole("timer").count()).toBe(0);
    for (const id of ticketIds) await seat(page, id, "mine").waitFor(WAIT);
    await screenshot(page, "33-degraded-no-hold");

    const confirmSent = page.waitForRequest("**/boxoffice.booking.v1.BookingService/ConfirmBooking");
    await payWith(page, "4242424242424242");
    const confirm = fromBinary(ConfirmBookingRequestSchema, (await confirmSent).postDataBuffer()!);
    expect({ reservationId: confirm.reservationId, eventId: confirm.eventId, ticketIds: [...confirm.ticketIds].sort() }).toEqual({
      reservationId: "",
      eventId: event.id,
      ticketIds: [...ticketIds].sort(),
    });
    await page.getByRole("heading", { level: 1, name: "Booking confirmed" }).waitFor(WAIT);
    const booked = await suite.platform.db("tickets").whereIn("id", ticketIds).andWhere("status", "booked").count<Array<{ count: number | string }>>({ count: "*" });
    expect(Number(booked[0]!.count)).toBe(2);
    await screenshot(page, "34-degraded-bought-directly");
  });

  /** The skip-th demo event that goes on sale later, soonest first. */
  async function notOnSaleYet(skip: number): Promise<{ id: string; name: string }> {
    const rows = await suite.platform.db("events").where("status", "scheduled").andWhere("on_sale_at", ">", new Date()).orderBy("on_sale_at").select("id", "name");
    if (!rows[skip]) throw new Error(`the demo has fewer than ${skip + 1} events that go on sale later`);
    return rows[skip] as { id: string; name: string };
  }

  async function pageOf(event: { id: string; name: string }) {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${suite.platform.baseUrl}/event/${event.id}`);
    await page.getByRole("heading", { level: 1, name: event.name }).waitFor(WAIT);
    return page;
  }

  it("purchase limit: the panel shows the limit and what is left, keeps Reserve off past it, and shows the service's refusal", async () => {
    const limited = await upcomingEventAt(suite.platform.db, "The Laughing Cellar", 4);
    await suite.platform.db("events").where({ id: limited.id }).update({ purchase_limit: 3 });
    const { page, event, userId } = await buyerOnEvent(4);
    expect(event.id).toBe(limited.id);
    const limitLine = (saying: string) => page.locator(".purchase-limit", { hasText: saying });
    await limitLine("Limit 3 tickets per account for this event.").waitFor(WAIT);

    await chooseSeats(page, 1);
    await reserve(page, "Reserve 1 seat", userId);
    await page.getByRole("timer").waitFor(WAIT);
    await limitLine("Limit 3 tickets per account for this event: you can add 2 more (you hold 1 and have bought 0).").waitFor(WAIT);
    await page.getByRole("button", { name: "Release seats" }).click();
    await limitLine("Limit 3 tickets per account for this event: you can add 3 more.").waitFor(WAIT);

    // More seats than are left: Reserve stays off and the panel says how many to drop.
    const chosen = await chooseSeats(page, 4);
    await page.locator(".over-limit", { hasText: "You can add 3 more tickets for this event: deselect 1." }).waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Reserve 4 seats" }).isDisabled()).toBe(true);
    await seat(page, chosen[3]!, "selected").click();

    // Meanwhile the same account holds two seats from another tab: the service refuses and says why.
    const free = await suite.platform.db("tickets").where({ event_id: event.id, status: "available" }).whereNotIn("id", chosen).orderBy("id", "desc").limit(2).pluck("id");
    expect((await (await otherBuyer(suite.platform.baseUrl, userId)).reserve(event.id, free)).status).toBe(200);
    await reserve(page, "Reserve 3 seats");
    await notice(page, "limit 3 tickets per account for this event: you hold 2 and have bought 0; you can add 1").waitFor(WAIT);
    await limitLine("Limit 3 tickets per account for this event: you can add 1 more (you hold 2 and have bought 0).").waitFor(WAIT);
    expect(await page.getByRole("timer").count()).toBe(0);
    await screenshot(page, "34-purchase-limit");
  });

  it("not on sale yet: the event page says when sales open, seats cannot be chosen and Reserve is off; the service refuses too", async () => {
    const event = await notOnSaleYet(1);
    const page = await pageOf(event);
    await page.locator(".sale-closed", { hasText: /^Tickets go on sale on .+\.$/ }).waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Reserve seats" }).isDisabled()).toBe(true);
    const freeSeat = page.locator('button.seat[data-status="available"]').first();
    expect(await freeSeat.isDisabled()).toBe(true);
    await screenshot(page, "35-not-on-sale-yet");

    const [ticketId] = await suite.platform.db("tickets").where({ event_id: event.id }).limit(1).pluck("id");
    const earlyBird = await otherBuyer(suite.platform.baseUrl, "e2e-early-bird");
    const early = await earlyBird.reserve(event.id, [ticketId]);
    expect(early.status).toBe(409);
    expect((early.body.error as { message: string }).message).toMatch(new RegExp(`^Tickets for .+ go on sale on `));
  });

  it("sales open while the page is open: it opens by itself and the buyer reserves", async () => {
    const event = await notOnSaleYet(0);
    // Moved to a few seconds from now, before any page has asked for this event.
    await suite.platform.db("events").where({ id: event.id }).update({ on_sale_at: new Date(Date.now() + 4_000) });
    const page = await pageOf(event);
    await page.locator(".sale-closed").waitFor(WAIT);
    await page.locator(".sale-closed").waitFor({ ...WAIT, state: "detached" });
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    await chooseSeats(page, 1);
    await reserve(page, "Reserve 1 seat", "e2e-first-in-line");
    await page.getByRole("timer").waitFor(WAIT);
    await screenshot(page, "36-sales-opened");
  });
});
