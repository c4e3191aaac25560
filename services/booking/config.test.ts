import { describe, expect, it } from "vitest";
import { ConfigError } from "../shared/config/load-config.js";
import { loadBookingConfig } from "./config.js";
import { paymentSettings } from "./payment-config.js";

const base = { DATABASE_URL: "postgres://u:p@db:5432/boxoffice" };

describe("booking configuration", () => {
  it("takes three or more independent lock masters", () => {
    const config = loadBookingConfig({ ...base, REDIS_LOCK_URLS: "redis://a:6379, redis://b:6379,redis://c:6379" });
    expect(config.REDIS_LOCK_URLS).toEqual(["redis://a:6379", "redis://b:6379", "redis://c:6379"]);
  });

  it("refuses fewer than three lock masters, naming REDIS_LOCK_URLS and the count", () => {
    for (const [urls, count] of [["redis://a:6379", 1], ["redis://a:6379,redis://b:6379", 2]] as const) {
      const attempt = () => loadBookingConfig({ ...base, REDIS_LOCK_URLS: urls });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(new RegExp(`REDIS_LOCK_URLS \\("${urls.replaceAll("/", "\\/")}"\\): must list at least three independent Redis masters.*got ${count}`));
    }
  });

  it("refuses one node listed twice, even under another database number", () => {
    const attempt = () => loadBookingConfig({ ...base, REDIS_LOCK_URLS: "redis://a:6379,redis://b:6379,redis://a:6379/2" });
    expect(attempt).toThrow(/REDIS_LOCK_URLS.*more than once/);
  });

  it("refuses an entry that is not a redis:// URL", () => {
    expect(() => loadBookingConfig({ ...base, REDIS_LOCK_URLS: "redis://a:1,http://b:2,redis://c:3" })).toThrow(/REDIS_LOCK_URLS.*redis:\/\/ URL/);
  });

  describe("the payment provider", () => {
    const locks = { ...base, REDIS_LOCK_URLS: "redis://a:6379,redis://b:6379,redis://c:6379" };
    const stripe = { ...locks, PAYMENTS_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_test_abc123", STRIPE_WEBHOOK_SECRET: "whsec_abc123" };

    it("is the simulator by default, and takes cards", () => {
      expect(paymentSettings(loadBookingConfig(locks))).toEqual({ provider: "simulated", means: "card", latencyMs: 0 });
    });

    it("in Stripe mode takes payment method ids, with bounded time and retries, and stripe-mock's address when given", () => {
      expect(paymentSettings(loadBookingConfig({ ...stripe, STRIPE_API_BASE_URL: "http://127.0.0.1:12111" }))).toEqual({
        provider: "stripe",
        means: "payment_method",
        stripe: { secretKey: "sk_test_abc123", apiBaseUrl: "http://127.0.0.1:12111", timeoutMs: 8_000, maxNetworkRetries: 2 },
        webhookSecret: "whsec_abc123",
      });
    });

    it("in Stripe mode refuses to start without the key and the webhook secret, naming both", () => {
      const attempt = () => loadBookingConfig({ ...locks, PAYMENTS_PROVIDER: "stripe" });
      expect(attempt).toThrow(/STRIPE_SECRET_KEY \(unset\): required with PAYMENTS_PROVIDER=stripe/);
      expect(attempt).toThrow(/STRIPE_WEBHOOK_SECRET \(unset\): required with PAYMENTS_PROVIDER=stripe/);
    });

    it("never echoes a malformed secret in its error", () => {
      const attempt = () => loadBookingConfig({ ...stripe, STRIPE_SECRET_KEY: "pk_live_oops_publishable" });
      expect(attempt).toThrow(/STRIPE_SECRET_KEY \(set, not shown\): must be a Stripe secret/);
      expect(attempt).not.toThrow(/pk_live_oops/);
    });

    it("refuses an unknown provider, a recovery grace Stripe's search cannot keep up with, and unbounded retries", () => {
      expect(() => loadBookingConfig({ ...locks, PAYMENTS_PROVIDER: "paypal" })).toThrow(/PAYMENTS_PROVIDER/);
      expect(() => loadBookingConfig({ ...stripe, BOOKING_RECOVERY_GRACE_SECONDS: "30" })).toThrow(/BOOKING_RECOVERY_GRACE_SECONDS.*at least 60/);
      expect(() => loadBookingConfig({ ...stripe, STRIPE_MAX_NETWORK_RETRIES: "50" })).toThrow(/STRIPE_MAX_NETWORK_RETRIES/);
    });
  });

  it("confirm's deadline must be shorter than the recovery grace, and each step's bound shorter than the deadline", () => {
    const lock = { ...base, REDIS_LOCK_URLS: "redis://a:6379,redis://b:6379,redis://c:6379" };
    expect(loadBookingConfig(lock)).toMatchObject({ BOOKING_CONFIRM_DEADLINE_MS: 30_000, BOOKING_PAYMENT_TIMEOUT_MS: 10_000, BOOKING_DB_STATEMENT_TIMEOUT_MS: 5_000, BOOKING_DB_LOCK_TIMEOUT_MS: 2_000 });
    expect(() => loadBookingConfig({ ...lock, BOOKING_RECOVERY_GRACE_SECONDS: "30" })).toThrow(/BOOKING_CONFIRM_DEADLINE_MS \(unset\): must be shorter than BOOKING_RECOVERY_GRACE_SECONDS/);
    expect(() => loadBookingConfig({ ...lock, BOOKING_PAYMENT_TIMEOUT_MS: "30000" })).toThrow(/BOOKING_PAYMENT_TIMEOUT_MS \("30000"\): must be shorter than BOOKING_CONFIRM_DEADLINE_MS/);
    expect(() => loadBookingConfig({ ...lock, BOOKING_DB_STATEMENT_TIMEOUT_MS: "45000" })).toThrow(/BOOKING_DB_STATEMENT_TIMEOUT_MS.*shorter than BOOKING_CONFIRM_DEADLINE_MS/);
  });
});
