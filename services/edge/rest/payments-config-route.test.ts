import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { loadPlatformConfig } from "../../platform/config.js";
import { checkoutSettings, loadEdgeConfig } from "../config.js";
import { paymentsConfigRoute } from "./payments-config-route.js";

async function answerOf(env: Record<string, string>) {
  const app = Fastify();
  await app.register(paymentsConfigRoute(checkoutSettings(loadEdgeConfig(env))));
  const response = await app.inject({ method: "GET", url: "/payments/config" });
  await app.close();
  return { status: response.statusCode, cache: response.headers["cache-control"], body: response.json() as unknown };
}

describe("GET /payments/config tells the web app how to pay", () => {
  it("without STRIPE_PUBLISHABLE_KEY: the simulator's test-card form", async () => {
    expect(await answerOf({})).toEqual({ status: 200, cache: "public, max-age=60", body: { provider: "simulated" } });
  });

  it("with STRIPE_PUBLISHABLE_KEY: Stripe.js under that key", async () => {
    expect((await answerOf({ STRIPE_PUBLISHABLE_KEY: "pk_test_abc123" })).body).toEqual({ provider: "stripe", publishableKey: "pk_test_abc123" });
  });

  it("a secret key in its place stops the edge at start-up, without printing it", () => {
    expect(() => loadEdgeConfig({ STRIPE_PUBLISHABLE_KEY: "sk_live_oops" })).toThrow(/STRIPE_PUBLISHABLE_KEY \(set, not shown\): must be a Stripe publishable key/);
  });
});

describe("the embedded platform's payment settings agree with its web checkout", () => {
  const stripe = { PAYMENTS_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc" };

  it("Stripe mode needs the publishable key, so the web app collects cards with Stripe.js", () => {
    expect(() => loadPlatformConfig(stripe)).toThrow(/STRIPE_PUBLISHABLE_KEY \(unset\): required with PAYMENTS_PROVIDER=stripe/);
    expect(loadPlatformConfig({ ...stripe, STRIPE_PUBLISHABLE_KEY: "pk_test_abc" })).toMatchObject({ PAYMENTS_PROVIDER: "stripe", STRIPE_PUBLISHABLE_KEY: "pk_test_abc" });
  });

  it("the simulator refuses a publishable key: its web form would send payment method ids it cannot take", () => {
    expect(() => loadPlatformConfig({ STRIPE_PUBLISHABLE_KEY: "pk_test_abc" })).toThrow(/only with PAYMENTS_PROVIDER=stripe/);
    expect(loadPlatformConfig({})).toMatchObject({ PAYMENTS_PROVIDER: "simulated" });
  });
});
