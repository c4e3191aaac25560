import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { ARTEFACTS_DIR, buildWebApp, chromiumInstalled, CHROMIUM_PATH, launchChromium, startPlatformWithWebApp } from "./web-app-fixture.js";

const WAIT = { timeout: 20_000 };
const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

describe.skipIf(!enabled)("booking in a real browser", () => {
  let webApp: Awaited<ReturnType<typeof buildWebApp>>;
  let platform: Awaited<ReturnType<typeof startPlatformWithWebApp>>;
  let browser: Browser;
  let buyer: BrowserContext;
  let watcher: BrowserContext;
  let event: { id: string; name: string };

  beforeAll(async () => {
    webApp = await buildWebApp();
    platform = await startPlatformWithWebApp(webApp.dir);
    browser = await launchChromium();
    buyer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The second buyer is on a phone, so the screenshots show the small layout too.
    watcher = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    // A seated room small enough to be drawn open, and not a high-demand on-sale.
    const [row] = await platform
      .db("events as e")
      .join("venues as v", "v.id", "e.venue_id")
      .where("v.name", "The Laughing Cellar")
      .andWhere("e.high_demand", false)
      .andWhere("e.starts_at", ">", new Date())
      .orderBy("e.starts_at")
      .select("e.id", "e.name")
      .limit(1);
    event = { id: row.id as string, name: row.name as string };
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await webApp?.remove();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTEFACTS_DIR, `${name}.png`), fullPage: true });
  const seat = (page: Page, ticketId: string, status: string) => page.locator(`button.seat[data-ticket-id="${ticketId}"][data-status="${status}"]`);

  async function chooseTwoSeats(page: Page): Promise<string[]> {
    const free = page.locator('button.seat[data-status="available"]');
    const ids = [(await free.nth(0).getAttribute("data-ticket-id"))!, (await free.nth(1).getAttribute("data-ticket-id"))!];
    for (const id of ids) await seat(page, id, "available").click();
    for (const id of ids) await seat(page, id, "selected").waitFor(WAIT);
    return ids;
  }

  async function payWith(page: Page, cardNumber: string): Promise<void> {
    await page.getByLabel("Name on card").fill("Ada Buyer");
    await page.getByLabel("Card number").fill(cardNumber);
    await page.getByLabel("Security code (CVC)").fill("123");
    await page.getByRole("button", { name: /^Pay / }).click();
  }

  it("search → event → two seats → reserve with a countdown → pay → booking shown, while a second browser watches them turn reserved then booked", async () => {
    const watching = await watcher.newPage();
    await watching.goto(platform.baseUrl);
    await watching.locator(".result-card").first().waitFor(WAIT);
    await shot(watching, "00-phone-search");
    await watching.goto(`${platform.baseUrl}/event/${event.id}`);
    await watching.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    // Set once: still there at the end means the page never reloaded.
    await watching.evaluate(() => ((globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true));

    const page = await buyer.newPage();
    await page.goto(platform.baseUrl);
    await page.getByRole("searchbox", { name: "Search" }).fill(event.name);
    await page.getByRole("link", { name: event.name }).first().click();
    await page.getByRole("heading", { level: 1, name: event.name }).waitFor(WAIT);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    await shot(page, "01-event-page");

    const ticketIds = await chooseTwoSeats(page);
    await page.getByRole("button", { name: "Reserve 2 seats" }).click();
    const signIn = page.getByRole("dialog", { name: "Sign in" });
    await signIn.getByLabel("User name").fill("e2e-alice");
    await signIn.getByRole("button", { name: "Sign in" }).click();

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
    await page.goto(`${platform.baseUrl}/event/${event.id}`);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    await chooseTwoSeats(page);
    await page.getByRole("button", { name: "Reserve 2 seats" }).click();
    await page.getByRole("timer").waitFor(WAIT);

    await payWith(page, "4000000000000002");
    const alert = page.locator(".order-notice");
    // The page's own wording for the decline reason the booking service sent through the edge.
    await alert.getByText("Your card was declined. Your seats are still held").waitFor(WAIT);
    expect(await page.getByRole("timer").isVisible()).toBe(true);
    await shot(page, "07-card-declined");
  });
});
