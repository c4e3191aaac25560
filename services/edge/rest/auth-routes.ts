import type { FastifyInstance } from "fastify";
import { badRequest } from "./http-errors.js";

const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;
const ROLES = new Set(["buyer", "admin"]);

/** AUTH_MODE=dev only: POST /auth/token {"userId":"alice","roles":["admin"]} → {"token": "<jwt>"}. */
export function devAuthRoutes(issue: (userId: string, roles: readonly string[]) => Promise<string>) {
  return async (app: FastifyInstance) => {
    app.post("/auth/token", async (request, reply) => {
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
