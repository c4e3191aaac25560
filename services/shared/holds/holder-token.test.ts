import { describe, expect, it } from "vitest";
import { holderOf, holderToken } from "./holder-token.js";

describe("holder tokens", () => {
  it("name the user they were made for, whatever characters the user id has", () => {
    for (const userId of ["alice", "auth0|5f1c.9", "名前", "a.b.c"]) {
      expect(holderOf(holderToken(userId, "0123abcd"))).toBe(userId);
    }
  });

  it("two tokens of one user differ by their random part", () => {
    expect(holderToken("alice", "aa")).not.toBe(holderToken("alice", "bb"));
  });

  it("a value no holds store made names nobody", () => {
    for (const value of ["", "0123456789abcdef", ".abc", "abc.", "not base64!.x"]) {
      expect(holderOf(value)).toBeUndefined();
    }
  });
});
