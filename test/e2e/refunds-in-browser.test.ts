import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { oneLine, screenshot as shot, upcomingEventAt, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

describe.skipIf(!enabled)("cancelled and refunded bookings in My bookings, in a real browser", () => {
  let suite: BrowserSuite;
  const baseUrl = () => suite.platform.baseUrl;

  beforeAll(async () => {
    suite = await startBrowserSuite();
  });

  afterAll(async () => {
    await suite?.close();
  });

  async function tokenFor(userId: string, roles?: string[]): Promise<string> {
    const response = await fetch(`${baseUrl()}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles }) });
    return ((await response.json()) as { token: string }).token;
  }

  async function post(path: string, token: string, body?: unknown): Promise<any> {
    const response = await fetch(`${baseUrl()}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return response.json();
  }

  async function buyOne(token: string, eventId: string, idempotencyKey: string): Promise<string> {
    const [ticketId] = await suite.platform.db("tickets").where({ event_id: eventId, status: "available" }).orderBy("id").limit(1).pluck("id");
    const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123", cardholderName: "Rita Buyer" };
    return (await post("/booking/confirm", token, { eventId, ticketIds: [ticketId], paymentDetails: card, idempotencyKey })).booking.id;
  }

  it("the buyer reads one booking refunded by the organiser and one cancelled with its event, each saying where the money went", async () => {
    const rita = await tokenFor("rita");
    const admin = await tokenFor("ops", ["admin"]);
    const kept = await upcomingEventAt(suite.platform.db, "The Laughing Cellar");
    const cancelled = await upcomingEventAt(suite.platform.db, "The Laughing Cellar", 1);
    const refundedBooking = await buyOne(rita, kept.id, "rita-refunded-one");
    const cancelledBooking = await buyOne(rita, cancelled.id, "rita-cancelled-event");
    await post(`/admin/bookings/${refundedBooking}/refund`, admin);
    await post(`/admin/events/${cancelled.id}/cancel`, admin);

    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    await page.goto(`${baseUrl()}/my-bookings`);
    await page.locator("section.page").getByRole("button", { name: "Sign in" }).click();
    const signIn = page.getByRole("dialog", { name: "Sign in" });
    await signIn.getByLabel("User name").fill("rita");
    await signIn.getByRole("button", { name: "Sign in" }).click();

    const refundedCard = page.locator(`.booking-card[data-booking-id="${refundedBooking}"]`);
    await refundedCard.locator(".booking-status").waitFor(WAIT);
    expect(oneLine(await refundedCard.locator(".booking-status").textContent())).toBe("Cancelled · refunded");
    expect(oneLine(await refundedCard.locator(".booking-state-note").textContent())).toBe(
      "The organiser cancelled this booking. The full amount was refunded to your card; these tickets are no longer valid.",
    );
    expect(await refundedCard.locator(".booking-refunded-at time").count()).toBe(1);

    const cancelledCard = page.locator(`.booking-card[data-booking-id="${cancelledBooking}"]`);
    expect(oneLine(await cancelledCard.locator(".booking-state-note").textContent())).toBe(
      "The event was cancelled. The full amount was refunded to your card; these tickets are no longer valid.",
    );
    expect(await cancelledCard.getAttribute("class")).toContain("booking-cancelled");
    await shot(page, "07-my-bookings-refunded");
  });

  it("the organiser refunds a booking and cancels an event in the web app (Organiser page); the seat is back on sale and the buyer's bookings read refunded", async () => {
    const sam = await tokenFor("sam");
    const kept = await upcomingEventAt(suite.platform.db, "The Laughing Cellar", 2);
    const cancelled = await upcomingEventAt(suite.platform.db, "The Laughing Cellar", 3);
    const refundedBooking = await buyOne(sam, kept.id, "sam-refunded-in-web");
    const cancelledBooking = await buyOne(sam, cancelled.id, "sam-cancelled-in-web");
    const [refundedSeat] = await suite.platform.db("tickets").where({ booking_id: refundedBooking }).pluck("id");

    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    await page.goto(`${baseUrl()}/admin`);
    // A buyer's sign-in gets no organiser tools; the organiser ticks the role.
    await page.locator("section.page").getByRole("button", { name: "Sign in" }).click();
    const signIn = page.getByRole("dialog", { name: "Sign in" });
    await signIn.getByLabel("User name").fill("ops-web");
    await signIn.getByLabel(/^Organiser/).check();
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Organiser" }).waitFor(WAIT);

    await page.getByLabel("Booking id").fill(refundedBooking);
    await page.getByRole("button", { name: "Refund booking" }).click();
    await page.locator("#refund-outcome.notice-success").waitFor(WAIT);

    await page.getByLabel("Event id").fill(cancelled.id);
    await page.getByLabel(/^I understand/).check();
    await page.getByRole("button", { name: "Cancel event" }).click();
    await page.locator("#cancel-outcome.notice-success").waitFor(WAIT);
    expect(oneLine(await page.locator("#cancel-outcome").textContent())).toMatch(/cancel/i);
    await shot(page, "08-organiser-refund-and-cancel");

    // A refund of a booking that does not exist says so, in words.
    await page.getByLabel("Booking id").fill("00000000-0000-4000-8000-000000000000");
    await page.getByRole("button", { name: "Refund booking" }).click();
    await page.locator("#refund-outcome.notice-error").waitFor(WAIT);

    expect(await suite.platform.db("tickets").where({ id: refundedSeat }).first()).toMatchObject({ status: "available", booking_id: null });
    const payments = await suite.platform.db("payments").whereIn("booking_id", [refundedBooking, cancelledBooking]).select("status");
    expect(payments.map((payment) => payment.status)).toEqual(["refunded", "refunded"]);
    const mine = await fetch(`${baseUrl()}/bookings`, { headers: { authorization: `Bearer ${sam}` } }).then((response) => response.json() as Promise<{ bookings: Array<{ id: string; status: string }> }>);
    expect(mine.bookings.filter((booking) => [refundedBooking, cancelledBooking].includes(booking.id)).map((booking) => booking.status)).toEqual(["BOOKING_STATUS_REFUNDED", "BOOKING_STATUS_REFUNDED"]);
  });
});
