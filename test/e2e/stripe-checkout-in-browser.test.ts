import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stripeMockReady, stripeMockUrl } from "../payments/stripe-mock.js";
import { requireService } from "../support/real-services.js";
import { chromiumInstalled, CHROMIUM_PATH, startBrowserSuite, type BrowserSuite } from "./web-app-fixture.js";
import { chooseSeats, reserve, screenshot as shot, upcomingEventAt, WAIT } from "./web-app-pages.js";

/*
 * The web checkout in Stripe mode, in Chromium, against the platform configured for Stripe by
 * its settings alone: booking on the Stripe adapter, whose API is stripe-mock; the edge telling
 * the web app (GET /payments/config) to collect the card with Stripe.js.
 *
 * js.stripe.com cannot be reached from this machine, so Stripe.js itself never runs here. Its
 * URL is answered by a stand-in that implements the few calls the app makes, as Stripe.js
 * documents them (Stripe(key), elements({mode, amount, currency, paymentMethodCreation,
 * captureMethod, allowedPaymentMethodTypes}), create("payment").mount(el), elements.submit(),
 * createPaymentMethod({elements, params})), records how it was called, and hands back
 * pm_card_visa, one of Stripe's test payment methods. From there on everything is real: the
 * browser sends that id through the edge to booking, which authorizes and captures it at
 * stripe-mock. What the stand-in cannot prove (Stripe's real frames, its card validation,
 * 3-D Secure) is listed in docs/payments.md.
 */
const ready = requireService(`Chromium (${CHROMIUM_PATH})`, chromiumInstalled()) && (await stripeMockReady());

const PUBLISHABLE_KEY = "pk_test_boxoffice_browser";

const STRIPE_JS_STAND_IN = `
(() => {
  const record = (window.__stripeCalls = { keys: [], elementsOptions: [], created: [], paymentMethodParams: [] });
  window.Stripe = function Stripe(key) {
    record.keys.push(key);
    return {
      elements(options) {
        record.elementsOptions.push(options);
        return {
          create(type, options) {
            record.created.push({ type, options });
            return {
              mount(target) {
                const host = typeof target === "string" ? document.querySelector(target) : target;
                const field = document.createElement("input");
                field.setAttribute("aria-label", "Card (Stripe.js stand-in)");
                field.className = "stripe-stand-in";
                host.appendChild(field);
              },
              focus() {},
              destroy() {},
              on() {},
            };
          },
          async submit() { return {}; },
        };
      },
      async createPaymentMethod(options) {
        record.paymentMethodParams.push(options.params);
        // Kept past the navigation that follows a booking, for the test to read.
        sessionStorage.setItem("stripeStandInParams", JSON.stringify(options.params));
        return { paymentMethod: { id: "pm_card_visa", object: "payment_method", type: "card" } };
      },
    };
  };
})();
`;

describe.skipIf(!ready)("the web checkout in Stripe mode (Chromium, the platform on stripe-mock)", () => {
  let suite: BrowserSuite;
  let eventIds: string[];
  const baseUrl = () => suite.platform.baseUrl;

  beforeAll(async () => {
    suite = await startBrowserSuite({
      PAYMENTS_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: "sk_test_boxofficebrowser",
      STRIPE_WEBHOOK_SECRET: "whsec_boxoffice_browser_0123456789",
      STRIPE_API_BASE_URL: stripeMockUrl(),
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    });
    eventIds = [(await upcomingEventAt(suite.platform.db, "The Laughing Cellar")).id, (await upcomingEventAt(suite.platform.db, "The Laughing Cellar", 1)).id];
  }, 180_000);

  afterAll(async () => {
    await suite?.close();
  });

  async function checkoutOf(eventId: string, buyer: string, stripeJs: "stand-in" | "unreachable"): Promise<{ page: Page; ticketIds: string[]; requests: string[] }> {
    // A browser of its own per buyer: a fresh sign-in each time.
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    await page.route(/^https:\/\/([a-z0-9-]+\.)*(stripe\.com|stripe\.network)\//, async (route) => {
      requests.push(route.request().url());
      if (stripeJs === "stand-in" && /^https:\/\/js\.stripe\.com\//.test(route.request().url())) {
        await route.fulfill({ status: 200, contentType: "application/javascript", body: STRIPE_JS_STAND_IN });
      } else {
        // As on this machine's network: nothing of Stripe's answers.
        await route.abort("internetdisconnected");
      }
    });
    await page.goto(`${baseUrl()}/event/${eventId}`);
    await page.locator('.live-state[data-mode="live"]').waitFor(WAIT);
    const ticketIds = await chooseSeats(page, 1);
    await reserve(page, "Reserve 1 seat", buyer);
    await page.getByRole("timer").waitFor(WAIT);
    return { page, ticketIds, requests };
  }

  it("the edge says stripe: the app shows Stripe's Payment Element, not the card form, and pays with the payment method id through the edge and booking to stripe-mock", async () => {
    const config = await (await fetch(`${baseUrl()}/payments/config`)).json();
    expect(config).toEqual({ provider: "stripe", publishableKey: PUBLISHABLE_KEY });

    const { page, ticketIds, requests } = await checkoutOf(eventIds[0]!, "stripe-ada", "stand-in");
    const form = page.locator('form[data-provider="stripe"]');
    await form.waitFor(WAIT);
    await page.getByLabel("Card (Stripe.js stand-in)").waitFor(WAIT);
    // Our own card fields are not on the page: card numbers are typed into Stripe's frames only.
    expect(await page.locator("#card-number, [autocomplete=cc-number], [autocomplete=cc-csc]").count()).toBe(0);
    expect(requests.some((url) => url.startsWith("https://js.stripe.com/"))).toBe(true);
    await shot(page, "stripe-01-payment-element");

    const calls = (await page.evaluate(() => (globalThis as unknown as { __stripeCalls: unknown }).__stripeCalls)) as {
      keys: string[];
      elementsOptions: Array<Record<string, unknown>>;
      created: Array<{ type: string }>;
    };
    const price = (await suite.platform.db("tickets").where({ id: ticketIds[0] }).first<{ price_minor: number; currency: string }>())!;
    expect(calls.keys).toEqual([PUBLISHABLE_KEY]);
    expect(calls.elementsOptions).toEqual([
      {
        mode: "payment",
        amount: Number(price.price_minor),
        currency: price.currency.trim().toLowerCase(),
        paymentMethodCreation: "manual",
        captureMethod: "manual",
        allowedPaymentMethodTypes: ["card"],
      },
    ]);
    expect(calls.created.map((element) => element.type)).toEqual(["payment"]);

    await page.getByLabel("Name on card").fill("Ada Buyer");
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL(/\/my-bookings\/[^?]+\?confirmed=1/, WAIT).catch(async (error: unknown) => {
      throw new Error(`no booking page; the order panel says ${JSON.stringify(await page.locator(".order-panel").textContent())}`, { cause: error });
    });
    await shot(page, "stripe-02-booked");
    // What the app asked Stripe.js for: a PaymentMethod from the Payment Element, with the buyer's name.
    expect(JSON.parse((await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem("stripeStandInParams"))) ?? "null")).toEqual({ billing_details: { name: "Ada Buyer" } });

    const payment = await suite.platform.db("payments").where({ user_id: "stripe-ada" }).first();
    expect(payment).toMatchObject({ status: "captured", provider: "stripe", provider_payment_id: expect.stringMatching(/^pi_/), booking_id: expect.any(String) });
    const ticket = await suite.platform.db("tickets").where({ id: ticketIds[0] }).first();
    expect(ticket).toMatchObject({ status: "booked", booking_id: payment.booking_id });
    await page.close();
  });

  it("Stripe.js unreachable (as on this machine): the form says the card form could not be loaded and offers no Pay, and nothing is charged", async () => {
    const { page } = await checkoutOf(eventIds[1]!, "stripe-bo", "unreachable");
    const problem = page.locator("#stripe-payment-error");
    await problem.filter({ hasText: "could not be loaded" }).waitFor(WAIT);
    expect(await page.getByRole("button", { name: /^Pay / }).isDisabled()).toBe(true);
    await shot(page, "stripe-03-stripe-js-unreachable");
    expect(await suite.platform.db("payments").where({ user_id: "stripe-bo" }).count<{ count: number }[]>("* as count")).toEqual([{ count: 0 }]);
    await page.close();
  });
});
