import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { callerKey } from "./caller.js";
import type { TokenVerifier } from "./token-verifier.js";

/**
 * Verifies a bearer token when one is sent and puts the caller into the context; handlers
 * decide whether they need one (requireCaller / requireRole). A bad token is refused outright
 * rather than treated as anonymous, so a client learns its token expired.
 */
export function authInterceptor(verify: TokenVerifier): Interceptor {
  return (next) => async (request) => {
    const header = request.header.get("authorization");
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw new ConnectError("Authorization header must be 'Bearer <token>'", Code.Unauthenticated);
      try {
        request.contextValues.set(callerKey, await verify(match[1]));
      } catch (error) {
        throw new ConnectError(`invalid or expired token: ${(error as Error).message}`, Code.Unauthenticated);
      }
    }
    return next(request);
  };
}
