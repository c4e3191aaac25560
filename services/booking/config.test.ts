import { describe, expect, it } from "vitest";
import { ConfigError } from "../shared/config/load-config.js";
import { loadBookingConfig } from "./config.js";

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
});
