import { describe, expect, it } from "vitest";
import { loadCatalogConfig } from "./config.js";

const required = { DATABASE_URL: "postgres://u:p@db:5432/boxoffice", REDIS_LOCK_URLS: "redis://a:6379,redis://b:6379,redis://c:6379" };

describe("the catalog's configuration", () => {
  it("reads how often watched events scan every unbooked ticket's hold from CATALOG_WATCH_HOLD_SCAN_MS, 5 s by default", () => {
    expect(loadCatalogConfig(required).CATALOG_WATCH_HOLD_SCAN_MS).toBe(5_000);
    expect(loadCatalogConfig({ ...required, CATALOG_WATCH_HOLD_SCAN_MS: "60000" }).CATALOG_WATCH_HOLD_SCAN_MS).toBe(60_000);
  });

  it("refuses a hold scan interval that is not a positive whole number, naming the variable", () => {
    expect(() => loadCatalogConfig({ ...required, CATALOG_WATCH_HOLD_SCAN_MS: "0" })).toThrow(/CATALOG_WATCH_HOLD_SCAN_MS \("0"\)/);
    expect(() => loadCatalogConfig({ ...required, CATALOG_WATCH_HOLD_SCAN_MS: "soon" })).toThrow(/CATALOG_WATCH_HOLD_SCAN_MS/);
  });
});
