import { join } from "node:path";
import type { Knex } from "knex";
import type { Page } from "playwright-core";
import { whereOnSale } from "../support/on-sale-events.js";
import { ARTEFACTS_DIR } from "./web-app-fixture.js";

// What the browser suites do on the web app's pages, by the labels and roles a buyer sees,
// and what a second buyer does at the same time through the edge's REST paths.

export const WAIT = { timeout: 20_000 };

/** Text as read aloud: Chromium puts a narrow no-break space between "7:00" and "PM". */
export const oneLine = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTEFACTS_DIR, `${name}.png`), fullPage: true });

/** A seat button in the given look (available, selected, mine, reserved, booked). */
export const seat = (page: Page, ticketId: string, look: string) => page.locator(`button.seat[data-ticket-id="${ticketId}"][data-status="${look}"]`);

/** The first free seats on the map, clicked until they show as selected. */
export async function chooseSeats(page: Page, count: number): Promise<string[]> {
  const free = page.locator('button.seat[data-status="available"]');
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await free.nth(index).getAttribute("data-ticket-id"))!);
  for (const id of ids) await seat(page, id, "available").click();
  for (const id of ids) await seat(page, id, "selected").waitFor(WAIT);
  return ids;
}

/** Reserve; a browser not signed in yet is asked to, and signs in as signInAs. */
export async function reserve(page: Page, buttonName: string, signInAs?: string): Promise<void> {
  await page.getByRole("button", { name: buttonName }).click();
  if (signInAs === undefined) return;
  const signIn = page.getByRole("dialog", { name: "Sign in" });
  await signIn.getByLabel("User name").fill(signInAs);
  await signIn.getByRole("button", { name: "Sign in" }).click();
}

export async function payWith(page: Page, cardNumber: string): Promise<void> {
  await page.getByLabel("Name on card").fill("Ada Buyer");
  await page.getByLabel("Card number").fill(cardNumber);
  await page.getByLabel("Security code (CVC)").fill("123");
  await page.getByRole("button", { name: /^Pay / }).click();
}

/** The next upcoming event on sale at a venue of the demo data that is not a high-demand on-sale. */
export async function upcomingEventAt(db: Knex, venueName: string, skip = 0): Promise<{ id: string; name: string }> {
  const [row] = await whereOnSale(db("events as e").join("venues as v", "v.id", "e.venue_id"), "e")
    .where("v.name", venueName)
    .andWhere("e.high_demand", false)
    .orderBy("e.starts_at")
    .offset(skip)
    .limit(1)
    .select("e.id", "e.name");
  if (!row) throw new Error(`no upcoming event at ${venueName} in the demo data`);
  return { id: row.id as string, name: row.name as string };
}

/** Another buyer, on the REST paths of the same edge. */
export async function otherBuyer(baseUrl: string, userId: string) {
  const tokenResponse = await fetch(`${baseUrl}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId }) });
  const { token } = (await tokenResponse.json()) as { token: string };
  return {
    /** POST /booking/reserve; the hold's JSON, or the refusal's status. */
    async reserve(eventId: string, ticketIds: string[]): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${baseUrl}/booking/reserve`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ eventId, ticketIds }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
}
