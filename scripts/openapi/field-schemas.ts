import { isFieldSet, ScalarType, type DescEnum, type DescExtension, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { EnumRulesSchema, type FieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { enumSchema, mapKeySchema, scalarSchema } from "./proto3-json-schemas.js";
import type { Schema, View } from "./schema-views.js";
import { fieldRulesOf, ignoresAlways, ignoresZero, valueRuleKeywords, type RuleKeywords } from "./validation-rules.js";

export interface FieldSchemaContext {
  view: View;
  /** The predefined rules the contracts declare (validation-rules.ts). */
  predefined: readonly DescExtension[];
  /** A reference to a message's schema for this side; a well-known type's own schema inline. */
  messageSchema(message: DescMessage, view: View): Schema;
}

type Element = { scalar: ScalarType } | { enum: DescEnum } | { message: DescMessage };

/** A field's JSON value, with its rules as keywords on the input side, and sentences for what keywords cannot say. */
export function fieldSchema(field: DescField, context: FieldSchemaContext): { schema: Schema; notes: string[] } {
  const rules = context.view === "input" ? fieldRulesOf(field) : undefined;
  const notes: string[] = [];
  const own = rules && !ignoresAlways(rules) ? valueRuleKeywords(rules, context.predefined) : undefined;
  notes.push(...(own?.notes ?? []));
  let schema: Schema;
  switch (field.fieldKind) {
    case "scalar":
      schema = elementSchema({ scalar: field.scalar }, own, rules, context);
      break;
    case "enum":
      schema = elementSchema({ enum: field.enum }, own, rules, context);
      break;
    case "message":
      schema = elementSchema({ message: field.message }, own, rules, context);
      break;
    case "list": {
      const itemRules = rules?.type.case === "repeated" ? rules.type.value.items : undefined;
      const items = itemKeywords(itemRules, context, notes);
      schema = { type: "array", items: elementSchema(listElement(field), items, itemRules, context), ...own?.keywords };
      if (rules?.type.case === "repeated") {
        const { minItems, maxItems, unique } = rules.type.value;
        if (minItems > 0n) schema.minItems = Number(minItems);
        if (maxItems > 0n) schema.maxItems = Number(maxItems);
        if (unique) schema.uniqueItems = true;
      }
      break;
    }
    case "map": {
      const mapRules = rules?.type.case === "map" ? rules.type.value : undefined;
      const values = itemKeywords(mapRules?.values, context, notes);
      const keys = itemKeywords(mapRules?.keys, context, notes);
      schema = {
        type: "object",
        propertyNames: { ...mapKeySchema(field.mapKey), ...keys?.keywords },
        additionalProperties: elementSchema(mapElement(field), values, mapRules?.values, context),
        ...own?.keywords,
      };
      if (mapRules && mapRules.minPairs > 0n) schema.minProperties = Number(mapRules.minPairs);
      if (mapRules && mapRules.maxPairs > 0n) schema.maxProperties = Number(mapRules.maxPairs);
      break;
    }
  }
  if (ignoresZero(rules) && field.fieldKind !== "message" && hasConstraints(schema)) schema = { anyOf: [zeroValueSchema(field), schema] };
  return { schema, notes };
}

function itemKeywords(rules: FieldRules | undefined, context: FieldSchemaContext, notes: string[]): RuleKeywords | undefined {
  if (!rules || ignoresAlways(rules)) return undefined;
  const keywords = valueRuleKeywords(rules, context.predefined);
  notes.push(...keywords.notes.map((note) => `each: ${note}`));
  return keywords;
}

const listElement = (field: DescField & { fieldKind: "list" }): Element =>
  field.listKind === "scalar" ? { scalar: field.scalar } : field.listKind === "enum" ? { enum: field.enum } : { message: field.message };

const mapElement = (field: DescField & { fieldKind: "map" }): Element =>
  field.mapKind === "scalar" ? { scalar: field.scalar } : field.mapKind === "enum" ? { enum: field.enum } : { message: field.message };

function elementSchema(element: Element, own: RuleKeywords | undefined, rules: FieldRules | undefined, context: FieldSchemaContext): Schema {
  if ("scalar" in element) return { ...scalarSchema(element.scalar, context.view), ...own?.keywords };
  if ("enum" in element) return enumFieldSchema(element.enum, own, rules, context.view);
  return context.messageSchema(element.message, context.view);
}

/** An enum's allowed values: its rules (const, in, not_in, defined_only) and a CEL `this != 0` narrow them. */
function enumFieldSchema(desc: DescEnum, own: RuleKeywords | undefined, rules: FieldRules | undefined, view: View): Schema {
  let allowed: number[] | undefined;
  let definedOnly = false;
  if (rules?.type.case === "enum") {
    const enumRules = rules.type.value;
    definedOnly = enumRules.definedOnly;
    if (isFieldSet(enumRules, EnumRulesSchema.field.const)) allowed = [enumRules.const];
    else if (enumRules.in.length > 0) allowed = [...enumRules.in];
    if (enumRules.notIn.length > 0) allowed = (allowed ?? desc.values.map((value) => value.number)).filter((number) => !enumRules.notIn.includes(number));
  }
  const { not, ...rest } = own?.keywords ?? {};
  if ((not as Schema | undefined)?.const === 0) allowed = (allowed ?? desc.values.map((value) => value.number)).filter((number) => number !== 0);
  else if (not !== undefined) rest.not = not;
  return { ...enumSchema(desc, view, allowed, definedOnly), ...rest };
}

const STRUCTURE = new Set(["type", "format", "items", "propertyNames", "additionalProperties", "$ref", "contentEncoding"]);
const hasConstraints = (schema: Schema) => Object.keys(schema).some((keyword) => !STRUCTURE.has(keyword));

/** The JSON of a field left at its zero value, which IGNORE_IF_ZERO_VALUE lets past the rules. */
function zeroValueSchema(field: DescField): Schema {
  switch (field.fieldKind) {
    case "list":
      return { type: "array", maxItems: 0 };
    case "map":
      return { type: "object", maxProperties: 0 };
    case "enum":
      return { enum: [field.enum.values.find((value) => value.number === 0)?.name ?? 0, 0] };
    case "message":
      return {};
    case "scalar":
      return { enum: SCALAR_ZERO[field.scalar] ?? [0] };
  }
}

const SCALAR_ZERO: Partial<Record<ScalarType, unknown[]>> = {
  [ScalarType.STRING]: [""],
  [ScalarType.BYTES]: [""],
  [ScalarType.BOOL]: [false],
  [ScalarType.INT64]: ["0", 0],
  [ScalarType.UINT64]: ["0", 0],
  [ScalarType.SINT64]: ["0", 0],
  [ScalarType.FIXED64]: ["0", 0],
  [ScalarType.SFIXED64]: ["0", 0],
};
