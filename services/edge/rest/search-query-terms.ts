import { ConnectError } from "@connectrpc/connect";
import { detailsHeaderValue } from "../../shared/errors/details-header.js";
import { errorDetailsOf } from "../../shared/errors/to-connect-error.js";
import { violationDetails, violationsSentence, type FieldViolation } from "../../shared/rpc/readable-violations.js";
import { ERROR_DETAILS_HEADER } from "../relayed-error.js";

/** SearchEventsRequest fields that GET /events/search names otherwise (searchRequestFromQuery). */
const PARAMETER_OF_FIELD: Record<string, string> = {
  city: "location",
  startsAfter: "from",
  startsBefore: "to",
  "near.point.latitude": "lat",
  "near.point.longitude": "lon",
  "near.radiusKm": "radiusKm",
};

/** The request's rules across fields, in the query's words. */
const QUERY_RULES: Record<string, { field: string; message: string }> = {
  "search.date_range_ordered": { field: "from", message: "must be before to" },
  "search.distance_needs_point": { field: "sort", message: "distance needs lat and lon to measure from" },
};

function inQueryTerms(violation: FieldViolation): FieldViolation {
  const rule = QUERY_RULES[violation.rule];
  if (rule) return { ...violation, ...rule };
  if (violation.field === undefined) return violation;
  return { ...violation, field: PARAMETER_OF_FIELD[violation.field] ?? violation.field };
}

/**
 * The search service's refusal of a contract rule, naming the query parameters the caller sent
 * (from, not startsAfter) in the message and in details.field; other errors pass unchanged.
 */
export function withQueryParameterNames(error: unknown): unknown {
  const connectError = ConnectError.from(error);
  const details = errorDetailsOf(connectError);
  if (!details || !Array.isArray(details.violations)) return error;
  const violations = (details.violations as FieldViolation[]).map(inQueryTerms);
  const metadata = new Headers(connectError.metadata);
  metadata.set(ERROR_DETAILS_HEADER, detailsHeaderValue({ ...details, ...violationDetails(violations) }));
  return new ConnectError(violationsSentence(violations), connectError.code, metadata);
}
