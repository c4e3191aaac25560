import { ScalarType, type DescEnum, type DescMessage } from "@bufbuild/protobuf";
import type { Schema, View } from "./schema-views.js";

// The proto3 JSON mapping (protobuf.dev/programming-guides/json) as JSON Schema, side by side.

const INT32 = { type: "integer", format: "int32", minimum: -2147483648, maximum: 2147483647 };
const UINT32 = { type: "integer", format: "uint32", minimum: 0, maximum: 4294967295 };
// Written out as decimal strings; parsers also take a JSON number.
const int64 = (view: View, unsigned: boolean): Schema => ({
  type: view === "input" ? ["string", "integer"] : "string",
  format: unsigned ? "uint64" : "int64",
  pattern: unsigned ? "^[0-9]+$" : "^-?[0-9]+$",
});
// Not-a-number and the infinities have no JSON number: they travel as these strings.
const NON_FINITE = { type: "string", enum: ["NaN", "Infinity", "-Infinity"] };
const floating = (view: View, format: string): Schema =>
  view === "input" ? { type: "number", format } : { anyOf: [{ type: "number", format }, NON_FINITE] };

export function scalarSchema(scalar: ScalarType, view: View): Schema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.DOUBLE:
      return floating(view, "double");
    case ScalarType.FLOAT:
      return floating(view, "float");
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { ...INT32 };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { ...UINT32 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return int64(view, false);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return int64(view, true);
  }
}

/**
 * An enum by its value names; on input its numbers are accepted too. `allowed` narrows the
 * values (the contract's enum rules); undefined numbers are accepted only where no rule says
 * defined_only.
 */
export function enumSchema(desc: DescEnum, view: View, allowed?: readonly number[], definedOnly = false): Schema {
  if (desc.typeName === "google.protobuf.NullValue") return { type: "null" };
  const values = desc.values.filter((value) => allowed === undefined || allowed.includes(value.number));
  const names = { type: "string", enum: values.map((value) => value.name) };
  if (view !== "input") return names;
  const numbers = allowed !== undefined || definedOnly ? { type: "integer", enum: values.map((value) => value.number) } : { ...INT32 };
  return { anyOf: [names, numbers] };
}

const wrapped: Record<string, ScalarType> = {
  "google.protobuf.DoubleValue": ScalarType.DOUBLE,
  "google.protobuf.FloatValue": ScalarType.FLOAT,
  "google.protobuf.Int64Value": ScalarType.INT64,
  "google.protobuf.UInt64Value": ScalarType.UINT64,
  "google.protobuf.Int32Value": ScalarType.INT32,
  "google.protobuf.UInt32Value": ScalarType.UINT32,
  "google.protobuf.BoolValue": ScalarType.BOOL,
  "google.protobuf.StringValue": ScalarType.STRING,
  "google.protobuf.BytesValue": ScalarType.BYTES,
};

/** The well-known types with a JSON form of their own; undefined for every other message. */
export function wellKnownSchema(message: DescMessage, view: View): Schema | undefined {
  const scalar = wrapped[message.typeName];
  if (scalar !== undefined) return scalarSchema(scalar, view);
  switch (message.typeName) {
    case "google.protobuf.Timestamp":
      // RFC 3339 with Z (or, on input, an offset), 0001-01-01 to 9999-12-31.
      return { type: "string", format: "date-time" };
    case "google.protobuf.Duration":
      return { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$" };
    case "google.protobuf.FieldMask":
      return { type: "string" };
    case "google.protobuf.Struct":
      return { type: "object" };
    case "google.protobuf.ListValue":
      return { type: "array" };
    case "google.protobuf.Value":
      return {};
    case "google.protobuf.Empty":
      return { type: "object", additionalProperties: false };
    case "google.protobuf.Any":
      return { type: "object", required: ["@type"], properties: { "@type": { type: "string" } } };
    default:
      return undefined;
  }
}

/** Map keys are JSON object keys: strings, spelling the key's scalar value. */
export function mapKeySchema(key: ScalarType): Schema {
  switch (key) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { enum: ["true", "false"] };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { pattern: "^[0-9]+$" };
    default:
      return { pattern: "^-?[0-9]+$" };
  }
}
