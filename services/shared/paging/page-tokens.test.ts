import { describe, expect, it } from "vitest";
import { createPageTokens } from "./page-tokens.js";

const SECRET = "a-test-secret-of-at-least-32-characters";

describe("page tokens", () => {
  const tokens = createPageTokens(SECRET, "bookings");

  it("give back the cursor they sealed", () => {
    expect(tokens.open(tokens.seal('["2026-12-02T10:00:00.000Z","9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b"]'))).toBe(
      '["2026-12-02T10:00:00.000Z","9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b"]',
    );
  });

  it("refuse a cursor made by hand, naming page_token", () => {
    const forged = Buffer.from('["2020-01-01","not-a-uuid"]').toString("base64url");
    for (const token of [forged, `${forged}.`, `${forged}.AAAAAAAAAAAAAAAAAAAAAA`, "", "..", "a.b.c"]) {
      expect(() => tokens.open(token), token).toThrow(expect.objectContaining({ kind: "invalid", details: { field: "page_token" } }));
    }
  });

  it("refuse a sealed token whose cursor was changed", () => {
    const [, tag] = tokens.seal("o:20").split(".");
    expect(() => tokens.open(`${Buffer.from("o:40").toString("base64url")}.${tag}`)).toThrow(/page_token/);
  });

  it("refuse a token from another listing or sealed under another secret", () => {
    const token = tokens.seal("o:20");
    expect(() => createPageTokens(SECRET, "search").open(token)).toThrow(/page_token/);
    expect(() => createPageTokens(`${SECRET}-rotated`, "bookings").open(token)).toThrow(/page_token/);
  });
});
