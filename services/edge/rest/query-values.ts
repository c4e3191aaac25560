import { getOption, hasOption, type DescEnum, type DescField } from "@bufbuild/protobuf";
import { timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { field as fieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { FastifyReply } from "fastify";
import { badRequest } from "./http-errors.js";

export type Query = Record<string, string | undefined>;

/** A query parameter that cannot become the request field it stands for; answered 400 naming it. */
export class QueryError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function numberParam(query: Query, field: string): number | undefined {
  const raw = query[field];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new QueryError(`${field} must be a number, got "${raw}"`, field);
  return value;
}

/**
 * An int32 field's value, within the range the field's contract rule allows (int32's own when it
 * has none). Checked here, before the message is built: protobuf cannot encode 1e30 in an int32,
 * and the rule only runs on a message that exists.
 */
export function int32Param(query: Query, name: string, field?: DescField): number | undefined {
  const value = numberParam(query, name);
  if (value === undefined) return undefined;
  const [min, max] = field ? int32Bounds(field) : [INT32_MIN, INT32_MAX];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QueryError(`${name} must be a whole number from ${min} to ${max}, got "${query[name]}"`, name);
  }
  return value;
}

function int32Bounds(field: DescField): [number, number] {
  const rules = hasOption(field, fieldRules) ? getOption(field, fieldRules).type : undefined;
  if (rules?.case !== "int32") return [INT32_MIN, INT32_MAX];
  const { greaterThan, lessThan } = rules.value;
  const min = greaterThan.case === "gte" ? greaterThan.value : greaterThan.case === "gt" ? greaterThan.value + 1 : INT32_MIN;
  const max = lessThan.case === "lte" ? lessThan.value : lessThan.case === "lt" ? lessThan.value - 1 : INT32_MAX;
  return [min, max];
}

/** An ISO 8601 date or time within the years protobuf's Timestamp can carry (1 to 9999). */
export function instantParam(query: Query, field: string): Timestamp | undefined {
  const raw = query[field];
  if (!raw) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new QueryError(`${field} must be an ISO 8601 date or time, got "${raw}"`, field);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new QueryError(`${field} must be a time between the years 1 and 9999, got "${raw}"`, field);
  return timestampFromDate(date);
}

/** The query as one value per name: `?term=a&term=b` is refused rather than read as either. */
export function singleValued(query: unknown): Query {
  const values = (query ?? {}) as Record<string, string | string[] | undefined>;
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value)) throw new QueryError(`${name} is given ${value.length} times; give it once`, name);
  }
  return values as Query;
}

/** Answers a QueryError 400, naming its parameter; anything else is not the caller's mistake. */
export function sendQueryError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof QueryError)) throw error;
  return badRequest(reply, error.message, error.field);
}

/**
 * An enum value by its short name (`concert`) or its full one (`EVENT_TYPE_CONCERT`, what the
 * JSON answers carry), so a client can send back what it was given. The zero value
 * (`..._UNSPECIFIED`) is not offered: leaving the parameter out says the same.
 */
export function enumParam(query: Query, name: string, type: DescEnum): number | undefined {
  const raw = query[name];
  if (!raw) return undefined;
  const prefix = type.sharedPrefix ?? "";
  const values = type.values.filter((value) => value.number !== 0);
  const shortName = (full: string) => full.slice(prefix.length).toLowerCase();
  const wanted = raw.toLowerCase();
  const match = values.find((value) => value.name.toLowerCase() === wanted || shortName(value.name) === wanted);
  if (!match) throw new QueryError(`${name} must be one of ${values.map((value) => shortName(value.name)).join(", ")} (or the full names, such as ${values[0]!.name})`, name);
  return match.number;
}
