import { describe, expect, it } from "vitest";
import { checkoutConfigLoader, parseCheckoutConfig } from "../../web/src/api/checkout-config.js";

describe("the web app reads how to pay from the edge", () => {
  it("stripe with a publishable key: Stripe's form; anything else: the test-card form", () => {
    expect(parseCheckoutConfig({ provider: "stripe", publishableKey: "pk_live_x1" })).toEqual({ provider: "stripe", publishableKey: "pk_live_x1" });
    expect(parseCheckoutConfig({ provider: "simulated" })).toEqual({ provider: "simulated" });
    // A secret key is never used as a publishable one, nor a missing key.
    expect(parseCheckoutConfig({ provider: "stripe", publishableKey: "sk_live_x1" })).toEqual({ provider: "simulated" });
    expect(parseCheckoutConfig({ provider: "stripe" })).toEqual({ provider: "simulated" });
    expect(parseCheckoutConfig(null)).toEqual({ provider: "simulated" });
  });

  it("asks the edge once per page, and again after a failed read", async () => {
    const asked: string[] = [];
    let fail = true;
    const load = checkoutConfigLoader(async (path) => {
      asked.push(path);
      if (fail) throw new Error("offline");
      return { provider: "stripe", publishableKey: "pk_test_1" };
    });
    await expect(load()).rejects.toThrow("offline");
    fail = false;
    expect(await load()).toEqual({ provider: "stripe", publishableKey: "pk_test_1" });
    expect(await load()).toEqual({ provider: "stripe", publishableKey: "pk_test_1" });
    expect(asked).toEqual(["/payments/config", "/payments/config"]);
  });
});
