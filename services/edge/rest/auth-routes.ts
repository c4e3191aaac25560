import { Code, ConnectError } from "@connectrpc/connect";
import type { FastifyInstance } from "fastify";
import { badRequest, sendError } from "./http-errors.js";

const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;
const ROLES = new Set(["buyer", "admin"]);

/** The connection's own peer (never X-Forwarded-For, which a caller writes) is this machine. */
function fromLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(::ffff:)?127\./.test(address));
}

/**
 * AUTH_MODE=dev only: POST /auth/token {"userId":"alice","roles":["admin"]} → {"token": "<jwt>"},
 * for callers on this machine only: anyone who reaches it can name themselves admin.
 */
export function devAuthRoutes(issue: (userId: string, roles: readonly string[]) => Promise<string>) {
  return async (app: FastifyInstance) => {
    app.post("/auth/token", async (request, reply) => {
      if (!fromLoopback(request.raw.socket.remoteAddress)) {
        return sendError(reply, new ConnectError("dev sign-in (AUTH_MODE=dev) mints tokens only for callers on the machine the edge runs on; use your identity provider's token (AUTH_MODE=jwks)", Code.PermissionDenied));
      }
      const body = request.body as { userId?: unknown; roles?: unknown } | undefined;
      const userId = body?.userId;
      if (typeof userId !== "string" || !USER_ID.test(userId)) {
        return badRequest(reply, "userId must be 1-64 letters, digits or . _ @ -", "userId");
      }
      const roles = body?.roles ?? ["buyer"];
      if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === "string" && ROLES.has(role))) {
        return badRequest(reply, `roles must be a list of ${[...ROLES].join(", ")}`, "roles");
      }
      return { token: await issue(userId, roles), userId, roles };
    });
  };
}
