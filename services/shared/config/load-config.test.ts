import { describe, expect, it } from "vitest";
import { loadCatalogConfig } from "../../catalog/config.js";
import { ConfigError } from "./load-config.js";

describe("typed configuration", () => {
  it("applies defaults and parses lists", () => {
    const config = loadCatalogConfig({ DATABASE_URL: "postgres://u:p@db:5432/x", REDIS_LOCK_URLS: "redis://a:1, redis://b:2,redis://c:3" });
    expect(config.CATALOG_PORT).toBe(50051);
    expect(config.REDIS_LOCK_URLS).toEqual(["redis://a:1", "redis://b:2", "redis://c:3"]);
  });

  it("names every bad variable and what it was", () => {
    const attempt = () => loadCatalogConfig({ DATABASE_URL: "mysql://x", REDIS_LOCK_URLS: "redis://a:1", CATALOG_PORT: "99999" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL \("mysql:\/\/x"\): must be a postgres:\/\/ URL/);
    expect(attempt).toThrow(/CATALOG_PORT/);
  });
});
