import {
  getExtension,
  getOption,
  hasExtension,
  hasOption,
  isFieldSet,
  type DescExtension,
  type DescField,
  type DescMessage,
  type DescOneof,
  type Registry,
} from "@bufbuild/protobuf";
import {
  field as fieldRulesOption,
  message as messageRulesOption,
  oneof as oneofRulesOption,
  predefined as predefinedRulesOption,
  FieldRulesSchema,
  Ignore,
  type FieldRules,
  type Rule,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { celRuleKeywords } from "./cel-rule-shapes.js";
import type { Schema } from "./schema-views.js";

/** What one field's rules say about its JSON value: keywords for the schema, and sentences for people. */
export interface RuleKeywords {
  keywords: Schema;
  notes: string[];
}

export const fieldRulesOf = (field: DescField): FieldRules | undefined =>
  hasOption(field, fieldRulesOption) ? getOption(field, fieldRulesOption) : undefined;

export const messageRuleNotes = (message: DescMessage): string[] =>
  hasOption(message, messageRulesOption) ? getOption(message, messageRulesOption).cel.map((rule) => rule.message).filter(Boolean) : [];

export const oneofIsRequired = (oneof: DescOneof): boolean => hasOption(oneof, oneofRulesOption) && getOption(oneof, oneofRulesOption).required;

/** The rules are off (IGNORE_ALWAYS), or a zero value skips them (IGNORE_IF_ZERO_VALUE). */
export const ignoresAlways = (rules: FieldRules | undefined) => rules?.ignore === Ignore.ALWAYS;
export const ignoresZero = (rules: FieldRules | undefined) => rules?.ignore === Ignore.IF_ZERO_VALUE;

/** A rule value as a JSON number, when it is one exactly. */
const exact = (value: number | bigint): number | undefined => {
  const number = Number(value);
  return Number.isSafeInteger(number) || typeof value === "number" ? number : undefined;
};

/** Every extension of the buf.validate rule messages: the predefined rules the contracts declare. */
export function predefinedRuleExtensions(registry: Registry): DescExtension[] {
  return [...registry].filter((desc): desc is DescExtension => desc.kind === "extension" && desc.extendee.typeName.startsWith("buf.validate."));
}

function celKeywords(rules: readonly Rule[], out: RuleKeywords, ruleValue?: unknown) {
  for (const rule of rules) {
    const keywords = rule.expression ? celRuleKeywords(rule.expression, ruleValue) : undefined;
    if (keywords) mergeKeywords(out.keywords, keywords);
    if (rule.message && (keywords === undefined || Object.keys(keywords).length > 0)) out.notes.push(rule.message);
  }
}

/** Two patterns (or two `not`s) on one value must both hold: the second goes under allOf. */
function mergeKeywords(target: Schema, keywords: Schema) {
  for (const [keyword, value] of Object.entries(keywords)) {
    if (keyword in target && (keyword === "pattern" || keyword === "not")) {
      target.allOf = [...((target.allOf as Schema[] | undefined) ?? []), { [keyword]: value }];
    } else {
      target[keyword] = value;
    }
  }
}

type TypeRules = NonNullable<FieldRules["type"]["value"]>;

/** Keywords of the standard rules of a scalar type (string, bytes, bool, the numbers). */
function standardKeywords(kind: FieldRules["type"]["case"], rules: TypeRules, out: RuleKeywords) {
  const set = (name: string) => isFieldSet(rules as never, fieldOf(rules, name));
  const value = (name: string) => (rules as unknown as Record<string, unknown>)[name];
  const k = out.keywords;
  if (kind === "string") {
    if (set("const")) k.const = value("const");
    if (set("len")) k.minLength = k.maxLength = exact(value("len") as bigint);
    if (set("minLen")) k.minLength = exact(value("minLen") as bigint);
    if (set("maxLen")) k.maxLength = exact(value("maxLen") as bigint);
    if (set("pattern")) mergeKeywords(k, { pattern: value("pattern") });
    if (set("prefix")) mergeKeywords(k, { pattern: `^${escapeRegExp(value("prefix") as string)}` });
    if (set("suffix")) mergeKeywords(k, { pattern: `${escapeRegExp(value("suffix") as string)}$` });
    if (set("contains")) mergeKeywords(k, { pattern: escapeRegExp(value("contains") as string) });
    if ((value("in") as string[]).length > 0) k.enum = value("in");
    if ((value("notIn") as string[]).length > 0) mergeKeywords(k, { not: { enum: value("notIn") } });
    const wellKnown = value("wellKnown") as { case?: string; value?: unknown };
    const format = wellKnown.value === true ? STRING_FORMATS[wellKnown.case ?? ""] : undefined;
    if (format) k.format = format;
    else if (wellKnown.case) out.notes.push(`must be a valid ${wellKnown.case}`);
    for (const bytesRule of ["lenBytes", "minBytes", "maxBytes"]) if (set(bytesRule)) out.notes.push(`${bytesRule}: ${String(value(bytesRule))} bytes of UTF-8`);
    return;
  }
  if (kind === "bool") {
    if (set("const")) k.const = value("const");
    return;
  }
  if (kind === "bytes" || kind === "enum" || kind === undefined) return;
  // The numbers: const, in, not_in, and a range whose ends may each be open or closed.
  if (set("const")) k.const = exact(value("const") as number);
  if ((value("in") as unknown[]).length > 0) k.enum = (value("in") as (number | bigint)[]).map(exact);
  if ((value("notIn") as unknown[]).length > 0) mergeKeywords(k, { not: { enum: (value("notIn") as (number | bigint)[]).map(exact) } });
  const lower = value("greaterThan") as { case?: "gt" | "gte"; value?: number | bigint };
  const upper = value("lessThan") as { case?: "lt" | "lte"; value?: number | bigint };
  const low = lower.value === undefined ? undefined : exact(lower.value);
  const high = upper.value === undefined ? undefined : exact(upper.value);
  if (low !== undefined && high !== undefined && low > high) {
    // protovalidate reads gt > lt as "outside the range": either side, not between.
    k.anyOf = [{ [lower.case === "gt" ? "exclusiveMinimum" : "minimum"]: low }, { [upper.case === "lt" ? "exclusiveMaximum" : "maximum"]: high }];
    return;
  }
  if (low !== undefined) k[lower.case === "gt" ? "exclusiveMinimum" : "minimum"] = low;
  if (high !== undefined) k[upper.case === "lt" ? "exclusiveMaximum" : "maximum"] = high;
}

const fieldOf = (rules: TypeRules, localName: string): DescField => {
  const field = RULE_SCHEMAS.get(rules.$typeName)?.fields.find((candidate) => candidate.localName === localName);
  if (!field) throw new Error(`${rules.$typeName} has no field ${localName}`);
  return field;
};

/** StringRules, Int32Rules, ... by type name: the messages of FieldRules' `type` oneof. */
const RULE_SCHEMAS = new Map<string, DescMessage>(
  FieldRulesSchema.fields.flatMap((field) => (field.oneof?.name === "type" && field.message ? [[field.message.typeName, field.message] as const] : [])),
);

const STRING_FORMATS: Record<string, string> = {
  email: "email",
  hostname: "hostname",
  ipv4: "ipv4",
  ipv6: "ipv6",
  uri: "uri",
  uriRef: "uri-reference",
  uuid: "uuid",
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

const TIME_NOTES: Record<string, string> = { ltNow: "must be in the past", gtNow: "must be in the future" };

/**
 * The JSON Schema keywords of a value's own rules (a field, or a list's items, or a map's keys
 * or values): the standard rules of its type, its CEL rules and predefined rules of the shapes
 * celRuleKeywords reads. What cannot be a keyword is kept as a sentence.
 */
export function valueRuleKeywords(rules: FieldRules, predefined: readonly DescExtension[]): RuleKeywords {
  const out: RuleKeywords = { keywords: {}, notes: [] };
  if (ignoresAlways(rules)) return out;
  const typed = rules.type;
  if (typed.case !== undefined && typed.case !== "repeated" && typed.case !== "map") {
    if (typed.case === "timestamp") {
      for (const bound of [typed.value.lessThan, typed.value.greaterThan]) if (bound.case && TIME_NOTES[bound.case]) out.notes.push(TIME_NOTES[bound.case]!);
    } else if (!["any", "duration", "fieldMask"].includes(typed.case)) {
      standardKeywords(typed.case, typed.value, out);
    }
    for (const extension of predefined) {
      if (extension.extendee.typeName !== typed.value.$typeName || !hasExtension(typed.value, extension)) continue;
      celKeywords(getOption(extension, predefinedRulesOption).cel, out, getExtension(typed.value, extension));
    }
  }
  celKeywords(rules.cel, out);
  return out;
}
