import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { commentOf, describe, type createMessageSchemas } from "./message-schemas.js";
import { securityOf } from "./rest-paths.js";
import type { Schema } from "./schema-views.js";

type MessageSchemas = ReturnType<typeof createMessageSchemas>;

export const connectPath = (method: DescMethod) => `/${method.parent.typeName}/${method.name}`;

/** Server-streaming (and client- or bidi-streaming) calls frame their messages, which OpenAPI cannot describe. */
export const isDescribable = (method: DescMethod) => method.methodKind === "unary";

const GET_FORM =
  "Side-effect free: also answers the Connect GET form, `GET <path>?connect=v1&encoding=json&message=<the request as URL-encoded JSON>`, cacheable by browsers and CDNs.";

/**
 * The Connect protocol's unary calls as OpenAPI sees them: POST /<package>.<Service>/<Method>
 * with the request message as JSON, answered by the response message as JSON (zero values left
 * out) or, with any other status, Connect's error JSON.
 */
export function connectPaths(services: readonly DescService[], schemas: MessageSchemas, accessOf: (routeUrl: string) => string) {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const service of services) {
    for (const method of service.methods.filter(isDescribable)) {
      const sideEffectFree = method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS;
      paths[connectPath(method)] = {
        post: {
          operationId: `${service.typeName}.${method.name}`,
          tags: [service.typeName],
          summary: `${service.name}.${method.name}`,
          ...withDescription(describe(commentOf(method), []), sideEffectFree ? GET_FORM : undefined),
          // Connect-Timeout-Ms is left out: a deadline the call cannot meet (0 ms) rightly ends in
          // deadline_exceeded, a 504 that says nothing about the edge.
          parameters: [{ name: "Connect-Protocol-Version", in: "header", required: false, schema: { const: "1" } }],
          requestBody: { required: true, content: { "application/json": { schema: schemas.ref(method.input, "input") } } },
          responses: {
            200: { description: "OK", content: { "application/json": { schema: schemas.ref(method.output, "connect-output") } } },
            415: { description: "The body is not in an encoding Connect takes (application/json, application/proto); no body" },
            default: { $ref: "#/components/responses/ConnectError" },
          },
          security: securityOf(accessOf(connectPath(method))),
        },
      };
    }
  }
  return paths;
}

function withDescription(...parts: (string | undefined)[]): { description?: string } {
  const text = parts.filter(Boolean).join("\n\n");
  return text ? { description: text } : {};
}

/** The streaming calls left out, by path, for the document to name. */
export const streamingPaths = (services: readonly DescService[]) => services.flatMap((service) => service.methods.filter((method) => !isDescribable(method)).map(connectPath));
