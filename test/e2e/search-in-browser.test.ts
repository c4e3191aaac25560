import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { addZonedShow } from "../support/zoned-show.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { oneLine, screenshot, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());
/** The web app's page size (web/src/views/search-view.ts). */
const PAGE_SIZE = 10;

describe.skipIf(!enabled)("searching in a real browser", () => {
  let suite: BrowserSuite;
  let context: BrowserContext;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await suite?.close();
  });

  const status = (page: Page) => page.locator('.result-status[role="status"]');
  const resultNames = (page: Page) => page.locator(".result-card .result-title").allTextContents();
  /** Event ids of the results shown (names repeat: a comedian plays the same show twice). */
  const resultIds = (page: Page) => page.locator(".result-card .result-title a").evaluateAll((links) => links.map((link) => link.getAttribute("href")!));

  /** The names the search service answers for a term, through the edge's REST path. */
  async function searchedByRest(term: string): Promise<string[]> {
    const response = await fetch(`${suite.platform.baseUrl}/events/search?term=${encodeURIComponent(term)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { events: Array<{ name: string }> }).events.map((event) => event.name);
  }

  it("type-ahead: typing part of a word shows the matching events without pressing Search, and the address keeps the term", async () => {
    const page = await context.newPage();
    await page.goto(suite.platform.baseUrl);
    await status(page).getByText(`Page 1: ${PAGE_SIZE} events.`).waitFor(WAIT);

    // "jaz" is no word of its own: only prefix matching finds the Lincoln Park Jazz Lounge.
    const expected = await searchedByRest("jaz");
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(PAGE_SIZE);
    await page.getByRole("searchbox", { name: "Search" }).pressSequentially("jaz", { delay: 60 });
    // The address changes as the search for the whole prefix starts, so the status that follows is its answer.
    await page.waitForURL((url) => url.searchParams.get("term") === "jaz", WAIT);
    await status(page).getByText(`Page 1: ${expected.length} event${expected.length === 1 ? "" : "s"}.`).waitFor(WAIT);

    expect((await resultNames(page)).sort()).toEqual([...expected].sort());
    for (const where of await page.locator(".result-card .result-where").allTextContents()) expect(where).toContain("Jazz Lounge");
    await screenshot(page, "10-type-ahead");
  });

  it("paging: Next page walks through every event once, ten at a time, and Previous page returns to the same page", async () => {
    const page = await context.newPage();
    await page.goto(suite.platform.baseUrl);
    await status(page).getByText(`Page 1: ${PAGE_SIZE} events.`).waitFor(WAIT);
    const firstPage = await resultIds(page);

    const pages = [firstPage];
    const next = page.getByRole("button", { name: "Next page" });
    while (await next.isVisible()) {
      await next.click();
      await status(page).getByText(new RegExp(`^Page ${pages.length + 1}: `)).waitFor(WAIT);
      pages.push(await resultIds(page));
    }
    await screenshot(page, "11-last-result-page");

    const upcoming = await suite.platform.db("events").where("starts_at", ">", new Date()).count<Array<{ count: number | string }>>({ count: "*" });
    const seen = pages.flat();
    expect(seen).toHaveLength(Number(upcoming[0]!.count));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages.length).toBeGreaterThan(1);
    for (const full of pages.slice(0, -1)) expect(full).toHaveLength(PAGE_SIZE);

    // back to the first page, one page at a time
    for (let number = pages.length - 1; number >= 1; number -= 1) {
      await page.getByRole("button", { name: "Previous page" }).click();
      await status(page).getByText(new RegExp(`^Page ${number}: `)).waitFor(WAIT);
      expect(await resultIds(page)).toEqual(pages[number - 1]);
    }
    expect(await page.getByRole("button", { name: "Previous page" }).count()).toBe(0);
  });

  it("venue-local time: a date lists the shows of that day on the venue's clock, and every page shows the time there with its zone", async () => {
    // 7 pm in Chicago on 5 December is 6 December in UTC, and 10 am on the 6th for a reader in Tokyo.
    const year = new Date().getUTCFullYear() + 1;
    const show = await addZonedShow(suite.platform.db, "Lakeside Winter Classic", "America/Chicago", `${year}-12-05T19:00:00-06:00`);
    const shownAt = new RegExp(`^\\w{3}, Dec 5, ${year}, 7:00 PM CST$`);
    const reader = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Asia/Tokyo", locale: "en-US" });
    try {
      const page = await reader.newPage();
      const card = page.locator(".result-card", { has: page.getByRole("link", { name: show.name }) });

      await page.goto(`${suite.platform.baseUrl}/?date=${year}-12-05`);
      await card.waitFor(WAIT);
      expect(oneLine(await card.locator(".result-when").textContent())).toMatch(shownAt);
      await screenshot(page, "12-search-on-the-venue-clock");

      await page.goto(`${suite.platform.baseUrl}/?date=${year}-12-06`);
      await status(page).getByText(/^(Page 1: |No events)/).waitFor(WAIT);
      expect(await card.count()).toBe(0);

      await page.goto(`${suite.platform.baseUrl}/event/${show.id}`);
      await page.getByRole("heading", { level: 1, name: show.name }).waitFor(WAIT);
      expect(oneLine(await page.locator(".event-when").textContent())).toMatch(shownAt);
    } finally {
      await reader.close();
    }
  });
});
