import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { payWith, reserve, screenshot, upcomingEventAt, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

describe.skipIf(!enabled)("general admission in a real browser", () => {
  let suite: BrowserSuite;
  let buyer: BrowserContext;
  let watcher: BrowserContext;
  let event: { id: string; name: string };
  let standing: { code: string; name: string; capacity: number };

  beforeAll(async () => {
    suite = await startBrowserSuite();
    buyer = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    watcher = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    // Table seating and a standing bar: both kinds of area on one map.
    event = await upcomingEventAt(suite.platform.db, "Lincoln Park Jazz Lounge");
    const [venue] = await suite.platform.db("venues").where("name", "Lincoln Park Jazz Lounge").select("seat_map");
    const sections = (typeof venue.seat_map === "string" ? JSON.parse(venue.seat_map) : venue.seat_map).sections as Array<{ code: string; name: string; kind: string; capacity?: number }>;
    const area = sections.find((section) => section.kind === "general_admission")!;
    standing = { code: area.code, name: area.name, capacity: area.capacity! };
  });

  afterAll(async () => {
    await suite?.close();
  });

  const area = (page: Page) => page.locator(`details.seat-section[data-section="${standing.code}"]`);
  const countShown = (page: Page, available: number) => area(page).locator(".section-count").getByText(`${available} of ${standing.capacity} available`);

  it("a standing area is a count, not seats: choosing two holds two, and another browser sees the count drop live", async () => {
    const watching = await watcher.newPage();
    await watching.goto(`${suite.platform.baseUrl}/event/${event.id}`);
    await watching.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    await countShown(watching, standing.capacity).waitFor(WAIT);

    const page = await buyer.newPage();
    await page.goto(`${suite.platform.baseUrl}/event/${event.id}`);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    await countShown(page, standing.capacity).waitFor(WAIT);
    // drawn as a number to choose; the seated tables beside it are seat buttons
    expect(await area(page).locator("button.seat").count()).toBe(0);
    expect(await page.locator("details.seat-section button.seat").count()).toBeGreaterThan(0);

    // typed, not confirmed with Tab: the order follows the number as it is typed
    await page.getByLabel(`Standing tickets in ${standing.name}`).fill("2");
    const order = page.locator(".order-panel .order-seats li");
    await page.getByRole("button", { name: "Reserve 2 seats" }).waitFor(WAIT);
    expect(await order.allTextContents()).toEqual([expect.stringContaining(`${standing.name}, general admission`), expect.stringContaining(`${standing.name}, general admission`)]);
    await screenshot(page, "20-standing-chosen");

    // one click, straight from the field: the blur it causes must not swallow it
    await reserve(page, "Reserve 2 seats", "e2e-gina");
    await page.getByRole("timer").waitFor(WAIT);
    await countShown(page, standing.capacity - 2).waitFor(WAIT);
    await countShown(watching, standing.capacity - 2).waitFor(WAIT);
    await screenshot(watching, "21-phone-sees-standing-count-drop");

    await payWith(page, "4242424242424242");
    await page.getByRole("heading", { level: 1, name: "Booking confirmed" }).waitFor(WAIT);
    const booking = page.locator(".booking-card .order-seats li");
    await booking.nth(1).waitFor(WAIT);
    const seats = await booking.allTextContents();
    expect(seats).toHaveLength(2);
    for (const line of seats) expect(line).toContain(`${standing.name}, general admission`);
    await screenshot(page, "22-standing-booked");

    // sold, not just held: a fresh page (no hold of this buyer's left) shows two fewer
    const again = await watcher.newPage();
    await again.goto(`${suite.platform.baseUrl}/event/${event.id}`);
    await countShown(again, standing.capacity - 2).waitFor(WAIT);
    const booked = await suite.platform.db("tickets").where({ event_id: event.id, section: standing.code, status: "booked" }).count<Array<{ count: number | string }>>({ count: "*" });
    expect(Number(booked[0]!.count)).toBe(2);
  });
});
