import type { DescField, DescMessage, DescMethod, Registry } from "@bufbuild/protobuf";
import { REST_ERROR_STATUSES } from "./error-schemas.js";
import { fieldSchema } from "./field-schemas.js";
import { commentOf, describe, type createMessageSchemas } from "./message-schemas.js";
import type { RestOperation, RestParameter } from "./rest-operations.js";
import type { Schema } from "./schema-views.js";
import { predefinedRuleExtensions } from "./validation-rules.js";

type MessageSchemas = ReturnType<typeof createMessageSchemas>;

/** Errors any API path may answer: the contract, a bad token, the rate limits, a service down or slow. */
const EVERY_PATH_ERRORS = [400, 401, 429, 500, 503, 504];

export const restErrorResponseName = (status: number) => `RestError${status}`;

export function methodByPath(registry: Registry, rpc: string): DescMethod {
  const [service, method] = rpc.split("/");
  const found = registry.getService(service ?? "")?.methods.find((candidate) => candidate.name === method);
  if (!found) throw new Error(`the REST operation table names ${rpc}, which the contracts do not have`);
  return found;
}

/** The field a dotted path of JSON names leads to, through the messages on the way. */
function fieldAt(message: DescMessage, path: string): DescField {
  let current: DescMessage | undefined = message;
  let field: DescField | undefined;
  for (const name of path.split(".")) {
    field = current?.fields.find((candidate) => candidate.jsonName === name);
    if (!field) throw new Error(`${message.typeName} has no field ${path}`);
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return field!;
}

function parameterObject(parameter: RestParameter, request: DescMessage, schemas: MessageSchemas, registry: Registry): Schema {
  const field = fieldAt(request, parameter.field);
  const built = fieldSchema(field, { view: "input", predefined: predefinedRuleExtensions(registry), messageSchema: schemas.ref });
  let schema = built.schema;
  if (parameter.shortEnumNames && field.fieldKind === "enum") {
    const prefix = field.enum.sharedPrefix ?? "";
    const values = field.enum.values.filter((value) => value.number !== 0);
    // The route takes the short name and the full one its answers carry (EVENT_TYPE_CONCERT).
    schema = { type: "string", enum: [...values.map((value) => value.name.slice(prefix.length).toLowerCase()), ...values.map((value) => value.name)] };
  }
  // A path segment is never empty: an empty id or version would be another path.
  if (parameter.in === "path") schema = { ...schema, minLength: Math.max(1, Number(schema.minLength ?? 0)) };
  const description = describe(commentOf(field), built.notes);
  return { name: parameter.name, in: parameter.in, required: parameter.in === "path", schema, ...(description ? { description } : {}) };
}

/** The RPC's request as the body, with the seed's single-value spellings (ticketId beside ticketIds). */
function bodySchema(request: DescMessage, aliases: { name: string; joins: string }[], schemas: MessageSchemas): Schema {
  if (aliases.length === 0) return schemas.ref(request, "input");
  // The request's own schema, widened: an alias is one more item of the list it joins, so the
  // list is no longer required when the alias is given.
  const schema = schemas.inline(request, "input");
  const properties = schema.properties as Record<string, Schema>;
  const anyOf: Schema[] = [];
  for (const { name, joins } of aliases) {
    const list = fieldAt(request, joins);
    properties[name] = { ...(properties[list.jsonName]!.items as Schema), description: `One ticket, joined to ${list.jsonName} (the seed's form).` };
    if (Array.isArray(schema.required) && schema.required.includes(list.jsonName)) {
      schema.required = schema.required.filter((required) => required !== list.jsonName);
      anyOf.push({ required: [name] }, { required: [list.jsonName] });
    }
  }
  if (anyOf.length > 0) schema.anyOf = anyOf;
  return schema;
}

export function restPaths(operations: readonly RestOperation[], registry: Registry, schemas: MessageSchemas, accessOf: (routeUrl: string) => string) {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const operation of operations) {
    const method = operation.rpc ? methodByPath(registry, operation.rpc) : undefined;
    const access = accessOf(operation.path.replace(/\{(\w+)\}/g, ":$1"));
    const errors = [...EVERY_PATH_ERRORS, ...operation.errors, ...(access === "public" ? [] : [403]), ...(operation.body || operation.requestBody ? [413] : [])];
    const responses: Record<string, unknown> = {
      200: {
        description: "OK",
        content: { "application/json": { schema: operation.answer ?? (method ? schemas.ref(method.output, "output") : {}) } },
      },
    };
    if (operation.cacheable) responses[304] = { description: "Not modified: the copy the If-None-Match header names is current" };
    for (const status of [...new Set(errors)].sort((a, b) => a - b)) {
      if (!REST_ERROR_STATUSES[status]) throw new Error(`${operation.operationId}: no description of the error status ${status}`);
      responses[status] = { $ref: `#/components/responses/${restErrorResponseName(status)}` };
    }
    const parameters = (operation.parameters ?? []).map((parameter) => parameterObject(parameter, method!.input, schemas, registry));
    if (operation.cacheable) parameters.push({ name: "If-None-Match", in: "header", required: false, schema: { type: "string" } });
    const body = operation.requestBody ?? (operation.body && method ? bodySchema(method.input, operation.body.aliases ?? [], schemas) : undefined);
    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method]: {
        operationId: operation.operationId,
        tags: [operation.tag],
        summary: operation.summary,
        ...(method ? { description: describe(commentOf(method)) ?? `Calls ${operation.rpc}.`, "x-rpc": operation.rpc } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(body ? { requestBody: { required: true, content: { "application/json": { schema: body } } } } : {}),
        responses,
        security: securityOf(access),
      },
    };
  }
  return paths;
}

/** A public call takes a token but does not need one; admin calls name the role they need. */
export function securityOf(access: string): Schema[] {
  if (access === "public") return [{}, { bearerAuth: [] }];
  return [{ bearerAuth: access === "admin" ? ["admin"] : [] }];
}
