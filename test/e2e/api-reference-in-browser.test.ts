import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from "./web-app-fixture.js";
import { screenshot, WAIT } from "./web-app-pages.js";

const enabled = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled());

describe.skipIf(!enabled)("the API reference page in a real browser", () => {
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startTestPlatform(5);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it("shows every operation of /openapi.json, loading nothing from elsewhere and breaking no CSP rule", async () => {
    const base = `http://127.0.0.1:${platform.edgePort}`;
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(document.paths).reduce((count, path) => count + Object.keys(path).length, 0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (message) => void (message.type() === "error" && problems.push(message.text())));
    page.on("pageerror", (error) => void problems.push(error.message));
    page.on("request", (request) => void (request.url().startsWith(base) || request.url().startsWith("data:") || problems.push(`fetched ${request.url()}`)));

    await page.goto(`${base}/docs/api`);
    await page.locator(".opblock").first().waitFor(WAIT);
    expect(await page.locator(".opblock").count()).toBe(operations);
    await page.locator(".opblock-summary", { hasText: "/events/search" }).click();
    await page.getByText("Available values : concert").waitFor(WAIT);
    await screenshot(page, "api-reference");
    expect(problems).toEqual([]);
  });
});
