import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { chooseSeats, oneLine, payWith, reserve, screenshot as shot, seat, upcomingEventAt, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

describe.skipIf(!enabled)("booking in a real browser", () => {
  let suite: BrowserSuite;
  let buyer: BrowserContext;
  let watcher: BrowserContext;
  let event: { id: string; name: string };
  const baseUrl = () => suite.platform.baseUrl;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    // On another clock than the venue's (London), so a time shown on the browser's would show.
    buyer = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "America/Los_Angeles", locale: "en-US" });
    // The second buyer is on a phone, so the screenshots show the small layout too.
    watcher = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    // A seated room small enough to be drawn open, and not a high-demand on-sale.
    event = await upcomingEventAt(suite.platform.db, "The Laughing Cellar");
  });

  afterAll(async () => {
    await suite?.close();
  });

  it("search → event → two seats → reserve with a countdown → pay → booking shown, while a second browser watches them turn reserved then booked", async () => {
    const watching = await watcher.newPage();
    await watching.goto(baseUrl());
    await watching.locator(".result-card").first().waitFor(WAIT);
    await shot(watching, "00-phone-search");
    await watching.goto(`${baseUrl()}/event/${event.id}`);
    await watching.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    // Set once: still there at the end means the page never reloaded.
    await watching.evaluate(() => ((globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true));

    const page = await buyer.newPage();
    await page.goto(baseUrl());
    await page.getByRole("searchbox", { name: "Search" }).fill(event.name);
    await page.getByRole("link", { name: event.name }).first().click();
    await page.getByRole("heading", { level: 1, name: event.name }).waitFor(WAIT);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    const startsAt = oneLine(await page.locator(".event-when").textContent());
    expect(startsAt).toMatch(/\d:\d{2} (AM|PM) GMT(\+1)?$/);
    await shot(page, "01-event-page");

    const ticketIds = await chooseSeats(page, 2);
    await reserve(page, "Reserve 2 seats", "e2e-alice");

    const timer = page.getByRole("timer");
    await timer.waitFor(WAIT);
    expect(await timer.textContent()).toMatch(/^\d{1,2}:\d{2}$/);
    for (const id of ticketIds) await seat(page, id, "mine").waitFor(WAIT);
    await shot(page, "02-held-with-countdown");

    for (const id of ticketIds) await seat(watching, id, "reserved").waitFor(WAIT);
    await shot(watching, "03-phone-sees-reserved");

    await payWith(page, "4242424242424242");
    await page.getByRole("heading", { level: 1, name: "Booking confirmed" }).waitFor(WAIT);
    const card = page.locator(".booking-card");
    await card.getByRole("heading", { name: event.name }).waitFor(WAIT);
    expect(await card.locator(".order-seats li").count()).toBe(2);
    // The show and the moment of booking, both on the venue's clock.
    expect(oneLine(await card.locator(".booking-when time").textContent())).toBe(startsAt);
    expect(oneLine(await card.locator(".booking-booked-at").textContent())).toMatch(/ GMT(\+1)?$/);
    await shot(page, "04-booking-confirmed");

    for (const id of ticketIds) await seat(watching, id, "booked").waitFor(WAIT);
    expect(await watching.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    await shot(watching, "05-phone-sees-booked");

    await page.getByRole("link", { name: "All my bookings" }).click();
    await page.getByRole("heading", { level: 1, name: "My bookings" }).waitFor(WAIT);
    await page.getByRole("link", { name: event.name }).first().waitFor(WAIT);
    await shot(page, "06-my-bookings");
  });

  it("a declined card shows its message and keeps the seats held", async () => {
    const page = await buyer.newPage();
    await page.goto(`${baseUrl()}/event/${event.id}`);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    await chooseSeats(page, 2);
    await reserve(page, "Reserve 2 seats");
    await page.getByRole("timer").waitFor(WAIT);

    await payWith(page, "4000000000000002");
    const alert = page.locator(".order-notice");
    // The page's own wording for the decline reason the booking service sent through the edge.
    await alert.getByText("Your card was declined. Your seats are still held").waitFor(WAIT);
    expect(await page.getByRole("timer").isVisible()).toBe(true);
    await shot(page, "07-card-declined");
  });
});
