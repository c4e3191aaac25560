import { describe, expect, it } from "vitest";
import { documentVersion, formatLsn, parseLsn } from "./lsn.js";

describe("WAL positions", () => {
  it("parse in both the padded and the short form and print back", () => {
    expect(parseLsn("00000000/5E25E668")).toBe(0x5e25e668n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn("16/B374D848"))).toBe("16/B374D848");
  });

  it("order as versions do: a later position is a higher version", () => {
    expect(documentVersion(parseLsn("1/0"))).toBeGreaterThan(documentVersion(parseLsn("0/FFFFFFFF")));
  });

  it("refuse what is not an LSN", () => {
    expect(() => parseLsn("5E25E668")).toThrow(/not an LSN/);
  });
});
