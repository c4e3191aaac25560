import { describe, expect, it } from "vitest";
import { queryWords, toleratesTypo, withinOneTypo } from "./query-words.js";

describe("query words", () => {
  it("are lower case, split on anything but letters and digits, without repeats", () => {
    expect(queryWords("  Taylor-Quinn: TAYLOR  live 2027!")).toEqual(["taylor", "quinn", "live", "2027"]);
    expect(queryWords("Café Müller")).toEqual(["café", "müller"]);
    expect(queryWords("!!!")).toEqual([]);
  });

  it("stop at sixteen", () => {
    expect(queryWords(Array.from({ length: 20 }, (_, n) => `w${n}`).join(" "))).toHaveLength(16);
  });

  it("forgive a typo only from five letters on", () => {
    expect(toleratesTypo("vega")).toBe(false);
    expect(toleratesTypo("quinn")).toBe(true);
  });
});

describe("one typo", () => {
  it.each([
    ["tayler", "taylor", "a changed letter"],
    ["caloway", "calloway", "a dropped letter"],
    ["tayloor", "taylor", "a letter too many"],
    ["dinosuar", "dinosaur", "two neighbours swapped"],
    ["xuinn", "quinn", "the first letter changed"],
    ["taylor", "taylor", "no typo at all"],
  ])("%s is one typo from %s (%s)", (typed, known) => {
    expect(withinOneTypo(typed, known)).toBe(true);
  });

  it.each([
    ["coltrain", "coltrane"],
    ["tailer", "taylor"],
    ["quin", "quinnie"],
    ["dinsaour", "dinosaur"],
  ])("%s is more than one typo from %s", (typed, known) => {
    expect(withinOneTypo(typed, known)).toBe(false);
  });
});
