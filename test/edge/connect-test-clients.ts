import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/** Sends `Authorization: Bearer <token>` on every call of a Connect client. */
export const withBearer =
  (token: string | undefined): Interceptor =>
  (next) =>
  (request) => {
    if (token) request.header.set("authorization", `Bearer ${token}`);
    return next(request);
  };

/** "ok", or the Connect code the call failed with. */
export async function codeOf(call: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}
