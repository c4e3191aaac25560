import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaceStatus, QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { chooseSeats, payWith, screenshot as shot, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

// One admission per step at most (the bucket holds five seconds' worth, under one at this rate),
// about ten seconds apart: the second buyer stands first in line between the two admissions.
const SLOW_RATE_PER_MINUTE = 6;

describe.skipIf(!enabled)("the waiting room of a high-demand event, in two real browsers", () => {
  let suite: BrowserSuite;
  let eventId: string;
  let queueAdmin: { pause(): Promise<unknown>; resumeAt(rate: number): Promise<unknown>; open(eventId: string, rate: number): Promise<unknown> };
  let queue: ReturnType<typeof createClient<typeof QueueService>>;
  const tokenOf = async (userId: string, roles?: string[]) => {
    const response = await fetch(`${baseUrl()}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles }) });
    return { headers: new Headers({ authorization: `Bearer ${((await response.json()) as { token: string }).token}` }) };
  };
  const baseUrl = () => suite.platform.baseUrl;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    // The demo's high-demand event went on sale at the start of today, so every join now is
    // placed by its time (first come, first served), not drawn at random as before the on-sale.
    const [row] = await suite.platform.db("events").where({ high_demand: true }).select("id", "on_sale_at");
    expect(new Date(row.on_sale_at).getTime()).toBeLessThan(Date.now());
    eventId = row.id as string;
    const admin = await tokenOf("ops", ["admin"]);
    queue = createClient(QueueService, createConnectTransport({ baseUrl: baseUrl(), httpVersion: "1.1" }));
    queueAdmin = {
      open: (other, rate) => queue.openQueue({ eventId: other, admissionRatePerMinute: rate }, admin),
      pause: () => queue.pauseQueue({ eventId }, admin),
      resumeAt: async (rate) => {
        await queue.setAdmissionRate({ eventId, admissionRatePerMinute: rate }, admin);
        await queue.resumeQueue({ eventId }, admin);
      },
    };
  }, 120_000);

  afterAll(async () => {
    await suite?.close();
  });

  /** Opens the event, signs in from the queue page, and waits for the place the queue gives. */
  async function joinAs(page: Page, userId: string): Promise<void> {
    await page.goto(`${baseUrl()}/event/${eventId}`);
    await page.getByRole("button", { name: "Sign in to join the queue" }).click();
    const signIn = page.getByRole("dialog", { name: "Sign in" });
    await signIn.getByLabel("User name").fill(userId);
    await signIn.getByRole("button", { name: "Sign in" }).click();
  }

  const status = (page: Page) => page.locator(".queue-panel").getByRole("status");
  const seatMapHeading = (page: Page) => page.getByRole("heading", { name: "Choose your seats" });

  /** The arena draws a section's seats when it is opened (too many seats to draw them all). */
  async function reserveOneSeat(page: Page): Promise<void> {
    const section = page.locator("details.seat-section", { hasText: "Upper Bowl 204" });
    if ((await section.getAttribute("open")) === null) await section.locator("summary").click();
    await chooseSeats(page, 1);
    await page.getByRole("button", { name: "Reserve 1 seat" }).click();
  }

  /** Every text the place's live region shows, in order, as a screen reader would hear them. */
  // Run in the page (strings: this file is type-checked without the DOM's types).
  const recordStatuses = (page: Page) =>
    page.evaluate(`(() => {
      const region = document.querySelector(".queue-panel [role=status]");
      const seen = (window.queueStatuses = [region.textContent]);
      new MutationObserver(() => seen.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
    })()`);
  const statuses = (page: Page) => page.evaluate<string[]>("window.queueStatuses");

  it("admits the first to join first, to the seat map by itself; the second, on a phone, sees its place move and follows", async () => {
    await queueAdmin.pause();
    const first = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    const phone = await suite.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: "en-US" });
    const second = await phone.newPage();

    await joinAs(first, "queue-ann");
    await status(first).filter({ hasText: "You are number 1 in line." }).waitFor(WAIT);
    await joinAs(second, "queue-ben");
    await status(second).filter({ hasText: "You are number 2 in line." }).waitFor(WAIT);
    expect(await second.locator(".queue-panel").textContent()).toContain("Admission is paused for a moment; your place is kept.");

    // A refresh keeps the place: joining again answers the same one.
    await second.reload();
    await status(second).filter({ hasText: "You are number 2 in line." }).waitFor(WAIT);
    const bar = second.getByRole("progressbar", { name: "Your progress through the queue" });
    const waitingProgress = Number(await bar.getAttribute("aria-valuenow"));
    expect(waitingProgress).toBeGreaterThan(0);
    expect(waitingProgress).toBeLessThan(100);
    expect(await second.locator(".queue-panel").getByText("What happens next").count()).toBe(1);
    // Usable at 375 px: nothing wider than the screen, no sideways scrolling.
    expect(await second.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await shot(second, "08-queue-phone-waiting");
    await recordStatuses(second);

    await queueAdmin.resumeAt(SLOW_RATE_PER_MINUTE);
    await seatMapHeading(first).waitFor({ timeout: 60_000 });
    // The first is through while the second still waits, now first in line.
    expect(await seatMapHeading(second).count()).toBe(0);
    await status(second).filter({ hasText: "You are number 1 in line." }).waitFor(WAIT);

    await seatMapHeading(second).waitFor({ timeout: 60_000 });
    const heard = await statuses(second);
    const number2 = heard.indexOf("You are number 2 in line.");
    const number1 = heard.indexOf("You are number 1 in line.");
    const turn = heard.indexOf("It is your turn. Opening the seat map…");
    expect(number2).toBeGreaterThanOrEqual(0);
    expect(number1).toBeGreaterThan(number2);
    expect(turn).toBeGreaterThan(number1);
    await shot(second, "09-queue-phone-admitted");

    // Admitted, the first buyer reserves: reserve carries the admission booking requires. A
    // refresh goes straight back to the seat map, the admission kept for this tab.
    await first.reload();
    await seatMapHeading(first).waitFor(WAIT);
    await reserveOneSeat(first);
    await first.getByRole("timer").waitFor(WAIT);
  }, 180_000);

  it("sends a buyer whose admission booking refuses back to the queue, saying why", async () => {
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    await queueAdmin.resumeAt(600);
    await joinAs(page, "queue-cy");
    await seatMapHeading(page).waitFor({ timeout: 60_000 });
    // An admission this browser kept that the queue never signed, as a forged or stale one would be.
    await page.evaluate(`(() => {
      const key = ${JSON.stringify(`boxoffice.admission.${eventId}`)};
      const stored = JSON.parse(sessionStorage.getItem(key));
      sessionStorage.setItem(key, JSON.stringify({ ...stored, token: stored.token.slice(0, -4) + "AAAA" }));
    })()`);
    await reserveOneSeat(page);
    // Back to the queue, which still counts this buyer in and hands over a valid admission at
    // once; the reason stays above the seat map, and reserve and confirm now work.
    await page.locator(".queue-return").filter({ hasText: "you are back in the queue" }).waitFor(WAIT);
    await seatMapHeading(page).waitFor(WAIT);
    await reserveOneSeat(page);
    await page.getByRole("timer").waitFor(WAIT);
    await payWith(page, "4242424242424242");
    await page.getByRole("heading", { level: 1, name: "Booking confirmed" }).waitFor(WAIT);
  }, 180_000);

  it("lets a buyer in line leave the queue, and join again at the back", async () => {
    await queueAdmin.pause();
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    await joinAs(page, "queue-eve");
    await status(page).filter({ hasText: /You are number \d+ in line\./ }).waitFor(WAIT);
    await page.getByRole("button", { name: "Leave the queue" }).click();
    await status(page).filter({ hasText: "You left the queue. Joining again puts you at the back of the line." }).waitFor(WAIT);
    // The queue agrees: no place is kept for this buyer any more.
    const { place } = await queue.getQueuePosition({ eventId }, await tokenOf("queue-eve"));
    expect(place?.status).toBe(PlaceStatus.NOT_IN_QUEUE);
    await shot(page, "11-queue-left");
    await page.getByRole("button", { name: "Join the queue again" }).click();
    await status(page).filter({ hasText: /You are number \d+ in line\./ }).waitFor(WAIT);
    await page.getByRole("button", { name: "Leave the queue" }).waitFor(WAIT);
  }, 180_000);

  it("says a high-demand event's waiting room is not open yet, and joins by itself once it opens", async () => {
    // Another event made high-demand before anyone looked at it, with no queue opened for it.
    const [row] = await suite.platform.db("events").where({ high_demand: false }).whereRaw("on_sale_at < now() and starts_at > now() + interval '1 day'").orderBy("starts_at").select("id").limit(1);
    const closedEventId = row.id as string;
    await suite.platform.db("events").where({ id: closedEventId }).update({ high_demand: true });
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    await page.goto(`${baseUrl()}/event/${closedEventId}`);
    await page.getByRole("button", { name: "Sign in to join the queue" }).click();
    const signIn = page.getByRole("dialog", { name: "Sign in" });
    await signIn.getByLabel("User name").fill("queue-fay");
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await status(page).filter({ hasText: "Sales for this event open through a waiting room, and it is not open yet." }).waitFor(WAIT);
    const text = await page.locator(".queue-panel").textContent();
    expect(text).toContain("This page joins it for you as soon as it opens");
    expect(text).not.toMatch(/ran out|back in the queue|your turn again/i);
    expect(await seatMapHeading(page).count()).toBe(0);
    await shot(page, "12-queue-not-open-yet");
    await queueAdmin.open(closedEventId, 600);
    await seatMapHeading(page).waitFor({ timeout: 60_000 });
  }, 180_000);

  it("tells a buyer in line plainly when the event sells out", async () => {
    await queueAdmin.pause();
    const page = await (await suite.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: "en-US" })).newPage();
    await joinAs(page, "queue-dee");
    await status(page).filter({ hasText: /You are number \d+ in line\./ }).waitFor(WAIT);
    // Every remaining ticket sold at once, onto the booking the last test made: selling 2,400
    // seats eight at a time through the app would only make the test slow.
    const [booking] = await suite.platform.db("bookings").where({ event_id: eventId }).pluck("id");
    await suite.platform.db("tickets").where({ event_id: eventId, status: "available" }).update({ status: "booked", booking_id: booking });
    await status(page).filter({ hasText: "Sorry, this event is sold out." }).waitFor({ timeout: 60_000 });
    expect(await page.locator(".queue-panel").textContent()).toContain("Every ticket has been sold, so nobody more is being admitted. You have not been charged.");
    await page.getByRole("link", { name: "Find another event" }).waitFor(WAIT);
    expect(await page.getByRole("progressbar").count()).toBe(0);
    await shot(page, "10-queue-phone-sold-out");
  }, 180_000);
});
