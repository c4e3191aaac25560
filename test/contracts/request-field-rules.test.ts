import { getOption, hasExtension, hasOption, isFieldSet, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { field as fieldRules, StringRulesSchema, type FieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { id, instant, line, text } from "../../gen/boxoffice/common/v1/rules_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";

/**
 * Every string and time a caller can send, in every request message the services take, carries
 * a rule that bounds what reaches storage: an id, a line or text without control characters, a
 * pattern or a rule of its own; a time within the years 1 to 9999. A field added without one
 * fails here, before a NUL byte or the year 275760 reaches PostgreSQL as a 500.
 */
function requestFields(): Array<{ path: string; field: DescField }> {
  const seen = new Set<string>();
  const found: Array<{ path: string; field: DescField }> = [];
  const walk = (message: DescMessage) => {
    if (seen.has(message.typeName) || message.typeName.startsWith("google.protobuf.")) return;
    seen.add(message.typeName);
    for (const field of message.fields) {
      found.push({ path: `${message.typeName}.${field.name}`, field });
      if (field.message) walk(field.message);
    }
  };
  for (const service of [CatalogService, SearchService, BookingService]) for (const method of service.methods) walk(method.input);
  return found;
}

const rulesOf = (field: DescField): FieldRules | undefined => (hasOption(field, fieldRules) ? getOption(field, fieldRules) : undefined);

function stringIsBounded(rules: FieldRules | undefined, repeated: boolean): boolean {
  if (!rules) return false;
  if (rules.cel.length > 0 && !repeated) return true;
  const typed = repeated && rules.type.case === "repeated" ? rules.type.value.items?.type : rules.type;
  if (typed?.case !== "string") return false;
  const strings = typed.value;
  return hasExtension(strings, id) || hasExtension(strings, line) || hasExtension(strings, text) || isFieldSet(strings, StringRulesSchema.field.pattern) || strings.in.length > 0 || strings.wellKnown.case !== undefined;
}

describe("request contracts", () => {
  const fields = requestFields();

  it("bound every string a caller sends (id, line, text, pattern or a rule of its own)", () => {
    const strings = fields.filter(({ field }) => (field.fieldKind === "scalar" || field.fieldKind === "list") && field.scalar === ScalarType.STRING);
    expect(strings.length).toBeGreaterThan(20);
    const unbounded = strings.filter(({ field }) => !stringIsBounded(rulesOf(field), field.fieldKind === "list")).map(({ path }) => path);
    expect(unbounded).toEqual([]);
  });

  it("keep every time a caller sends within the years 1 to 9999", () => {
    const times = fields.filter(({ field }) => field.message?.typeName === "google.protobuf.Timestamp");
    expect(times.length).toBeGreaterThan(3);
    const unbounded = times
      .filter(({ field }) => {
        const rules = rulesOf(field)?.type;
        return rules?.case !== "timestamp" || !hasExtension(rules.value, instant);
      })
      .map(({ path }) => path);
    expect(unbounded).toEqual([]);
  });
});
