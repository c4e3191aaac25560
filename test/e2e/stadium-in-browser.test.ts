import { writeFileSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { eventInput, venueInput } from "../catalog/catalog-fixture.js";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { reserve, screenshot as shot, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

/** 40 sections of 25 rows of 50 seats: 50,000 places. */
const STADIUM = Array.from({ length: 40 }, (_, s) => ({
  code: `S${s + 1}`,
  name: `Block ${s + 1}`,
  rows: Array.from({ length: 25 }, (_, r) => ({ label: String.fromCharCode(65 + r), seats: 50 })),
}));

describe.skipIf(!enabled)("a 50,000-seat stadium in a real browser", () => {
  let suite: BrowserSuite;
  let phone: BrowserContext;
  let eventId: string;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    const base = suite.platform.baseUrl;
    const token = ((await (await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "ops", roles: ["admin"] }) })).json()) as { token: string }).token;
    const admin = { headers: new Headers({ authorization: `Bearer ${token}` }), timeoutMs: 120_000 };
    const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: base, httpVersion: "1.1" }));
    const { venue } = await catalog.createVenue({ venue: venueInput("Browser Test Stadium", STADIUM) }, admin);
    const prices = Object.fromEntries(STADIUM.map((section, index) => [section.code, 3_000 + index * 100]));
    eventId = (await catalog.createEvent({ event: eventInput(venue!.id, prices, { name: "Stadium Night" }) }, admin)).event!.id;
    phone = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  }, 180_000);

  afterAll(async () => {
    await suite?.close();
  });

  it("shows the sections first, draws a chosen section's seats, and lets a buyer pick seats by keyboard and by tap and reserve them", async () => {
    // The first view after creation reads 50,000 rows from PGlite; thousands of buyers then share
    // what it built. Measured apart, so the page's figure is the browser's and the network's.
    const coldStarted = Date.now();
    expect((await fetch(`${suite.platform.baseUrl}/events/${eventId}/availability`)).status).toBe(200);
    const coldServerMs = Date.now() - coldStarted;
    const page = await phone.newPage();
    const cdp = await phone.newCDPSession(page);
    // A mid-range phone: four times slower than this machine's core.
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await cdp.send("Network.enable");
    let bytes = 0;
    cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength));

    // BROWSER_PROFILE=1: the page's CPU profile up to the usable map, for bench/support/profile-summary.ts.
    const profiling = process.env.BROWSER_PROFILE === "1";
    if (profiling) await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.start"));
    const started = Date.now();
    await page.goto(`${suite.platform.baseUrl}/event/${eventId}`);
    const sections = page.getByRole("list", { name: "Sections" }).getByRole("button");
    await sections.first().waitFor(WAIT);
    const usableAfterMs = Date.now() - started;
    if (profiling) {
      const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
      writeFileSync(".services/e2e/stadium-page.cpuprofile", JSON.stringify(profile));
      const timings = await page.evaluate(
        (origin) => performance.getEntries().map((entry) => `${entry.entryType} ${entry.name.replace(origin, "")} ${entry.startTime.toFixed(0)}–${(entry.startTime + entry.duration).toFixed(0)} ms`),
        suite.platform.baseUrl,
      );
      console.log(timings.join("\n"));
    }
    const drawnAt = await page.evaluate(() => performance.getEntriesByName("stadium-sections-drawn")[0]?.startTime);
    const bytesToUsable = bytes;
    expect(await sections.count()).toBe(40);
    await expect.poll(() => sections.first().textContent()).toContain("1,250 of 1,250 available");
    await shot(page, "20-phone-stadium-sections");

    await page.getByRole("button", { name: /^Block 7/ }).click();
    const canvas = page.getByRole("application", { name: /Seats of Block 7/ });
    await canvas.waitFor(WAIT);
    expect(await page.getByRole("button", { name: /^Block 7/ }).getAttribute("aria-pressed")).toBe("true");
    const box = (await canvas.boundingBox())!;
    expect(box.width).toBeGreaterThan(0);

    // Keyboard: the cursor starts on the first seat; one step right, then Enter.
    await canvas.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Reserve 1 seat" }).waitFor(WAIT);
    expect(await page.locator(".order-seats li").first().textContent()).toContain("Block 7, row A, seat 2");

    // Touch: the first seat of the second row.
    const cell = box.width / 50;
    await canvas.tap({ position: { x: cell / 2, y: cell * 1.5 } });
    await page.getByRole("button", { name: "Reserve 2 seats" }).waitFor(WAIT);
    await shot(page, "21-phone-stadium-section-seats");

    await reserve(page, "Reserve 2 seats", "e2e-stadium");
    await page.getByRole("timer").waitFor(WAIT);
    // The compact watch brings the two holds back into the counts.
    await expect.poll(() => page.getByRole("button", { name: /^Block 7/ }).textContent(), WAIT).toContain("1,248 of 1,250 available");
    await shot(page, "22-phone-stadium-held");

    const totalBytes = bytes;
    console.log(
      `stadium page (50,000 seats, 4× CPU throttling, phone viewport): first usable map after ${usableAfterMs} ms ` +
        `(the event's first view on the server, before the page: ${coldServerMs} ms) ` +
        `(sections drawn at ${Math.round(drawnAt ?? NaN)} ms after navigation start), ${(bytesToUsable / 1000).toFixed(1)} kB fetched by then, ` +
        `${(totalBytes / 1000).toFixed(1)} kB by the end of the test`,
    );
  }, 120_000);
});
