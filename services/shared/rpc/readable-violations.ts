import type { Path } from "@bufbuild/protobuf/reflect";
import { ValidationError, type Violation } from "@bufbuild/protovalidate";
import { Code, ConnectError } from "@connectrpc/connect";
import { DomainError } from "../errors/domain-error.js";
import { toConnectError } from "../errors/to-connect-error.js";

/** One broken contract rule, as clients find it in the error details. */
export interface FieldViolation {
  /** The field in JSON names, as clients send it (`ticketIds[1]`); absent for a rule on the whole message. */
  field?: string;
  /** The rule's id, e.g. "string.id" or "confirm.target". */
  rule: string;
  message: string;
}

// protovalidate's generic wording where it reads oddly after the field's name.
const WORDING: Record<string, string> = { required: "is required" };

/** A field path in the JSON names clients send: `paymentDetails.cardNumber`, `ticketIds[1]`. */
export function jsonPath(path: Path): string {
  let text = "";
  for (const item of path) {
    switch (item.kind) {
      case "field":
        text += `${text ? "." : ""}${item.jsonName}`;
        break;
      case "extension":
        text += `${text ? "." : ""}[${item.typeName}]`;
        break;
      case "list_sub":
        text += `[${item.index}]`;
        break;
      case "map_sub":
        text += `[${JSON.stringify(String(item.key))}]`;
        break;
      case "oneof":
        break;
    }
  }
  return text;
}

function fieldViolation(violation: Violation): FieldViolation {
  const field = jsonPath(violation.field);
  return { ...(field ? { field } : {}), rule: violation.ruleId, message: WORDING[violation.ruleId] ?? violation.message };
}

/** "eventId: is required; ticketIds: lists the same ticket more than once". */
export function violationsSentence(violations: readonly FieldViolation[]): string {
  return violations.map((violation) => (violation.field ? `${violation.field}: ${violation.message}` : violation.message)).join("; ");
}

/** Details of an INVALID_ARGUMENT error: the first field to fix, and every broken rule. */
export function violationDetails(violations: readonly FieldViolation[]): Record<string, unknown> {
  const field = violations.find((violation) => violation.field)?.field;
  return { ...(field ? { field } : {}), violations };
}

/**
 * The validation interceptor's error in the caller's words: each field by its JSON name with
 * what is wrong, and the fields in the error details (where the REST body finds details.field).
 * Keeps protovalidate's Violations detail for clients that read it. Undefined for other errors.
 */
export function readableValidationError(error: unknown): ConnectError | undefined {
  if (!(error instanceof ConnectError) || !(error.cause instanceof ValidationError)) return undefined;
  const violations = error.cause.violations.map(fieldViolation);
  const mapped = toConnectError(new DomainError("invalid", violationsSentence(violations), violationDetails(violations)));
  const readable = new ConnectError(mapped.rawMessage, Code.InvalidArgument, mapped.metadata, undefined, error.cause);
  readable.details.push(...error.details);
  return readable;
}
