/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it), built as plain data. */
export type Schema = { [keyword: string]: unknown };

/**
 * Which side of the wire a schema describes. The proto3 JSON form of one message differs by side:
 *   input           what the edge accepts: the contract's rules apply, int64 comes as a number or
 *                   a string, an enum as its name or its number
 *   output          a REST answer: toJson with alwaysEmitImplicit, so every field without explicit
 *                   presence is there even when it holds its zero value
 *   connect-output  a Connect answer: fields holding their zero value are left out
 */
export type View = "input" | "output" | "connect-output";

/** The suffix of a message's component name when the message is described for more than one side. */
export const VIEW_SUFFIX: Record<View, string> = { input: "-input", output: "-output", "connect-output": "-connect-output" };
