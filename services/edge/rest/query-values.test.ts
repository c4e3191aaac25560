import { describe, expect, it } from "vitest";
import { SearchEventsRequestSchema } from "../../../gen/boxoffice/search/v1/search_pb.js";
import { instantParam, int32Param, QueryError, singleValued } from "./query-values.js";

const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof QueryError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("expected a QueryError");
};

describe("query values", () => {
  it("take an int32 within the range of the field's contract rule, naming it otherwise", () => {
    const pageSize = SearchEventsRequestSchema.field.pageSize;
    expect(int32Param({ pageSize: "100" }, "pageSize", pageSize)).toBe(100);
    expect(int32Param({}, "pageSize", pageSize)).toBeUndefined();
    for (const raw of ["1e30", "2147483648", "101", "0", "2.5", "-1"]) {
      expect(refusal(() => int32Param({ pageSize: raw }, "pageSize", pageSize))).toEqual({ field: "pageSize", message: `pageSize must be a whole number from 1 to 100, got "${raw}"` });
    }
    expect(refusal(() => int32Param({ n: "2147483648" }, "n")).message).toBe('n must be a whole number from -2147483648 to 2147483647, got "2147483648"');
  });

  it("take a time between the years 1 and 9999 only", () => {
    expect(instantParam({ from: "2026-12-02T10:00:00Z" }, "from")?.seconds).toBe(1_796_205_600n);
    expect(refusal(() => instantParam({ from: "+275760-09-13T00:00:00Z" }, "from"))).toMatchObject({ field: "from", message: expect.stringMatching(/years 1 and 9999/) });
    expect(refusal(() => instantParam({ from: "yesterday" }, "from"))).toMatchObject({ field: "from" });
  });

  it("refuse a parameter given more than once", () => {
    expect(refusal(() => singleValued({ term: ["a", "b"] }))).toEqual({ field: "term", message: "term is given 2 times; give it once" });
    expect(singleValued({ term: "a" })).toEqual({ term: "a" });
  });
});
