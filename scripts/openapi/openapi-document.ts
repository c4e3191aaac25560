import type { DescService, Registry } from "@bufbuild/protobuf";
import { connectPaths, streamingPaths } from "./connect-paths.js";
import { CONNECT_ERROR, REST_ERROR, REST_ERROR_STATUSES } from "./error-schemas.js";
import { commentOf, createMessageSchemas } from "./message-schemas.js";
import { REST_TAGS, type RestOperation } from "./rest-operations.js";
import { restErrorResponseName, restPaths } from "./rest-paths.js";

export interface OpenApiInputs {
  registry: Registry;
  /** The services the edge serves over Connect, in the order to list them. */
  services: readonly DescService[];
  restOperations: readonly RestOperation[];
  /** The edge's access policy (services/edge/gate/access-policy.ts) by route URL. */
  accessOf(routeUrl: string): string;
}

const INTRODUCTION = `The boxoffice edge: the REST paths (tags events, stadium, booking, admin, queue, auth, payments) and the Connect
protocol's unary calls (one tag per service), generated from the Protobuf contracts in proto/.

Authentication is a bearer JWT (\`Authorization: Bearer <token>\`). In dev mode (AUTH_MODE=dev,
the default of npm start) \`POST /auth/token\` mints one for callers on the edge's own machine; an
admin token (\`{"userId":"ops","roles":["admin"]}\`) calls the catalog's admin RPCs.

A REST error answers \`{"error": {"code", "message", "details"}}\` with the HTTP status of its
gRPC code; a Connect error answers Connect's error JSON.`;

/** The OpenAPI 3.1 description of the edge, from the contracts' descriptors. */
export function openApiDocument({ registry, services, restOperations, accessOf }: OpenApiInputs): Record<string, unknown> {
  const schemas = createMessageSchemas(registry);
  const streaming = streamingPaths(services);
  const paths = { ...restPaths(restOperations, registry, schemas, accessOf), ...connectPaths(services, schemas, accessOf) };
  const messageSchemas = schemas.nameRefs(paths);
  const restTags = [...new Set(restOperations.map((operation) => operation.tag))].map((name) => ({ name, description: REST_TAGS[name] }));
  return {
    openapi: "3.1.1",
    info: { title: "boxoffice", version: "v1", description: INTRODUCTION },
    servers: [{ url: "/" }],
    tags: [
      ...restTags,
      ...services.map((service) => ({ name: service.typeName, description: commentOf(service)?.trim() ?? `The Connect protocol's calls of ${service.name}.` })),
    ],
    "x-streaming-rpcs": {
      description: "Streaming calls, served over Connect and gRPC-Web but left out of this document: OpenAPI cannot describe a stream of framed messages.",
      paths: streaming,
    },
    paths,
    components: {
      schemas: { ...messageSchemas, RestError: REST_ERROR, ConnectError: CONNECT_ERROR },
      responses: {
        ...Object.fromEntries(
          Object.entries(REST_ERROR_STATUSES).map(([status, description]) => [
            restErrorResponseName(Number(status)),
            { description, content: { "application/json": { schema: { $ref: "#/components/schemas/RestError" } } } },
          ]),
        ),
        ConnectError: {
          description: "A Connect error: the HTTP status follows the code (connectrpc.com/docs/protocol)",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ConnectError" } } },
        },
      },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A token from your identity provider, or from POST /auth/token in dev mode. Role names in a requirement are the roles the token must carry." },
      },
    },
  };
}

/** The document as the file holds it and the edge serves it. */
export const openApiJson = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
