import { Code } from "@connectrpc/connect";
import type { Schema } from "./schema-views.js";

const codeNames = Object.keys(Code).filter((name) => Number.isNaN(Number(name)));
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter, at: number) => `${at > 0 ? "_" : ""}${letter.toLowerCase()}`);

/** The REST paths' error body (services/edge/rest/http-errors.ts): the gRPC code's name, a sentence, specifics. */
export const REST_ERROR: Schema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: codeNames, description: "The gRPC status code's name." },
        message: { type: "string" },
        details: {
          type: "object",
          description: "Specifics a client acts on; for a refused request `field` (the first field to fix, by its JSON name or query parameter) and `violations`.",
          properties: {
            field: { type: "string" },
            violations: {
              type: "array",
              items: {
                type: "object",
                required: ["rule", "message"],
                properties: { field: { type: "string" }, rule: { type: "string" }, message: { type: "string" } },
              },
            },
          },
        },
      },
    },
  },
};

/** Connect's error JSON (connectrpc.com/docs/protocol, "Error end-stream"), which every non-200 Connect answer carries. */
export const CONNECT_ERROR: Schema = {
  type: "object",
  required: ["code"],
  properties: {
    code: { type: "string", enum: codeNames.map(snakeCase) },
    message: { type: "string" },
    details: {
      type: "array",
      items: {
        type: "object",
        required: ["type", "value"],
        properties: {
          type: { type: "string", description: "The detail's Protobuf type name, e.g. buf.validate.Violations." },
          value: { type: "string", contentEncoding: "base64", description: "The detail's binary Protobuf message." },
          debug: { description: "The detail as JSON, when the server adds it." },
        },
      },
    },
  },
};

/** What each HTTP status of a REST error means here (DESIGN.md: the status follows the gRPC code). */
export const REST_ERROR_STATUSES: Record<number, string> = {
  400: "The request breaks the contract (the body names each field), or is malformed",
  401: "No bearer token, or one that is invalid or expired",
  403: "Not allowed: the call needs the admin role, or acts on another buyer's reservation",
  404: "Unknown (another buyer's booking reads as unknown too)",
  409: "A seat is taken, the event is not on sale, or the payment was declined",
  413: "The body is larger than the edge takes",
  429: "Too many requests from this address or user: retry after Retry-After seconds",
  500: "Internal error",
  503: "A service this call needs is down",
  504: "The call's deadline passed",
};
