import type { DescField, DescMessage, Registry } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { getComments } from "@bufbuild/protoplugin";
import { fieldSchema, type FieldSchemaContext } from "./field-schemas.js";
import { wellKnownSchema } from "./proto3-json-schemas.js";
import { VIEW_SUFFIX, type Schema, type View } from "./schema-views.js";
import { messageRuleNotes, oneofIsRequired, predefinedRuleExtensions } from "./validation-rules.js";
import { createZeroValueRefusals } from "./zero-value-refusals.js";

const COMPONENTS = "#/components/schemas/";

/** A comment from the .proto, as a description: leading comment, then what the rules say. */
export function describe(leading: string | undefined, notes: readonly string[] = []): string | undefined {
  // protoc keeps the space after each line's `//`.
  const comment = leading?.replace(/^ /gm, "").trim();
  const parts = [comment, notes.length > 0 ? `Rules: ${notes.join("; ")}.` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

export const commentOf = (desc: Parameters<typeof getComments>[0]) => getComments(desc).leading;

/**
 * The components/schemas of a document: one schema per message and side of the wire it is used
 * on, built when first referenced. A message described for one side only is named by its type
 * name; one described for several sides gets a suffix per side (schema-views.ts). The names are
 * only known once every reference is made, so references carry a placeholder until nameRefs.
 */
export function createMessageSchemas(registry: Registry) {
  const built = new Map<string, { message: DescMessage; view: View; schema: Schema }>();
  const zeroRefusals = createZeroValueRefusals(registry);
  const context = (view: View): FieldSchemaContext => ({ view, predefined, messageSchema: ref });
  const predefined = predefinedRuleExtensions(registry);

  function ref(message: DescMessage, view: View): Schema {
    const wellKnown = wellKnownSchema(message, view);
    if (wellKnown) return wellKnown;
    const key = `${message.typeName}@${view}`;
    if (!built.has(key)) {
      const entry = { message, view, schema: {} };
      built.set(key, entry);
      entry.schema = messageSchema(message, view);
    }
    return { $ref: `${COMPONENTS}${key}` };
  }

  function messageSchema(message: DescMessage, view: View): Schema {
    const refused = view === "input" ? zeroRefusals(message) : new Set<string>();
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const field of message.fields) {
      const { schema, notes } = fieldSchema(field, context(view));
      const description = describe(commentOf(field), notes);
      properties[field.jsonName] = description ? { ...schema, description } : schema;
      const present = view === "output" ? alwaysEmitted(field) : view === "input" && refused.has(field.name) && !field.oneof;
      if (present) required.push(field.jsonName);
    }
    const schema: Schema = { type: "object", properties, additionalProperties: false };
    if (required.length > 0) schema.required = required;
    const oneofRules = message.oneofs.filter((oneof) => !oneof.fields[0]?.proto.proto3Optional).flatMap((oneof) => {
      const names = oneof.fields.map((field) => field.jsonName);
      const pairs = names.flatMap((name, i) => names.slice(i + 1).map((other) => ({ required: [name, other] })));
      const atMostOne = pairs.length > 0 ? [{ not: pairs.length === 1 ? pairs[0] : { anyOf: pairs } }] : [];
      const atLeastOne = view === "input" && oneofIsRequired(oneof) ? [{ anyOf: names.map((name) => ({ required: [name] })) }] : [];
      return [...atMostOne, ...atLeastOne];
    });
    if (oneofRules.length === 1) Object.assign(schema, oneofRules[0]);
    else if (oneofRules.length > 1) schema.allOf = oneofRules;
    const description = describe(commentOf(message), view === "input" ? messageRuleNotes(message) : []);
    return description ? { description, ...schema } : schema;
  }

  return {
    /** A reference to the message's schema for that side (a well-known type's schema inline). */
    ref,
    /** The message's schema itself, for a caller that widens it (its fields still refer to components). */
    inline: messageSchema,
    /** Names every schema built and rewrites the placeholders in `document` to those names; returns components/schemas. */
    nameRefs(document: unknown): Record<string, Schema> {
      const views = new Map<string, Set<View>>();
      for (const { message, view } of built.values()) views.set(message.typeName, (views.get(message.typeName) ?? new Set()).add(view));
      const nameOf = (key: string) => {
        const { message, view } = built.get(key)!;
        return views.get(message.typeName)!.size === 1 ? message.typeName : `${message.typeName}${VIEW_SUFFIX[view]}`;
      };
      const rename = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(rename);
        else if (node && typeof node === "object") {
          const record = node as Record<string, unknown>;
          if (typeof record.$ref === "string" && record.$ref.startsWith(COMPONENTS) && built.has(record.$ref.slice(COMPONENTS.length))) record.$ref = `${COMPONENTS}${nameOf(record.$ref.slice(COMPONENTS.length))}`;
          Object.values(record).forEach(rename);
        }
      };
      const schemas = Object.fromEntries([...built.entries()].map(([key, { schema }]) => [nameOf(key), schema] as const));
      rename(document);
      rename(schemas);
      return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
    },
  };
}

/** REST answers are written with alwaysEmitImplicit: a field without explicit presence is always there. */
function alwaysEmitted(field: DescField): boolean {
  if (field.fieldKind === "list" || field.fieldKind === "map") return true;
  return field.fieldKind !== "message" && field.oneof === undefined && field.presence === FeatureSet_FieldPresence.IMPLICIT;
}
