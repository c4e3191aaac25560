import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { MAX_DETAILS_HEADER_LENGTH } from "./details-header.js";
import { DomainError } from "./domain-error.js";
import { errorDetailsOf, toConnectError } from "./to-connect-error.js";

const headerOf = (details: Record<string, unknown>) => {
  const error = toConnectError(new DomainError("invalid", "venue: refused", details));
  return { error, header: error.metadata.get("boxoffice-error-details")! };
};

describe("a domain error's details on the wire", () => {
  // Found by Schemathesis: a time zone of "³p" in CreateVenue ended the catalog's process (grpc-js
  // metadata throws on non-ASCII), one of "\ud998" answered 500 (Headers takes only Latin-1).
  it.each(["³p", "東京", "\ud998\udf65", "\u0000", "a\nb", 'quote " and \\ backslash'])("carry %j as printable ASCII that reads back unchanged", (value) => {
    const { error, header } = headerOf({ field: "venue.timezone", value });
    expect(header).toMatch(/^[\x20-\x7e]*$/);
    expect(() => new Metadata().set("boxoffice-error-details", header)).not.toThrow();
    expect(errorDetailsOf(error)).toEqual({ kind: "invalid", field: "venue.timezone", value });
  });

  // Found by Schemathesis: a seat map of 999 rows labelled alike gave 999 violations, a header
  // over grpc-js's limit, which dropped the catalog's connection (503, the edge's probes too).
  it("keep the first violations of a long list, within the header limit, and count the rest", () => {
    const violations = Array.from({ length: 999 }, (_, row) => ({ field: `venue.seatMap.sections[0].rows[${row}].label`, message: 'label "0" is used twice' }));
    const { error, header } = headerOf({ field: "venue.seatMap", violations });
    expect(header.length).toBeLessThanOrEqual(MAX_DETAILS_HEADER_LENGTH);
    const details = errorDetailsOf(error) as { field: string; violations: unknown[]; omittedViolations: number };
    expect(details.field).toBe("venue.seatMap");
    expect(details.violations.length).toBeGreaterThan(0);
    expect(details.violations).toEqual(violations.slice(0, details.violations.length));
    expect(details.violations.length + details.omittedViolations).toBe(999);
  });

  it("and keep only the kind and field of details too long for any other cut", () => {
    const { error, header } = headerOf({ field: "venue.name", value: "x".repeat(10_000) });
    expect(header.length).toBeLessThanOrEqual(MAX_DETAILS_HEADER_LENGTH);
    expect(errorDetailsOf(error)).toEqual({ kind: "invalid", field: "venue.name", truncated: true });
  });
});
