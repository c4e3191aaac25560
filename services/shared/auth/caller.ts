import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import { DomainError } from "../errors/domain-error.js";

/** Who is calling, as proven by a verified bearer token. */
export interface Caller {
  userId: string;
  roles: readonly string[];
}

export const callerKey = createContextKey<Caller | undefined>(undefined, { description: "caller" });

export function requireCaller(context: HandlerContext): Caller {
  const caller = context.values.get(callerKey);
  if (!caller) {
    throw new DomainError("unauthenticated", "sign in first: this call needs an Authorization: Bearer <token> header");
  }
  return caller;
}

export function requireRole(context: HandlerContext, role: string): Caller {
  const caller = requireCaller(context);
  if (!caller.roles.includes(role)) {
    throw new DomainError("permission_denied", `this call needs the "${role}" role`);
  }
  return caller;
}
