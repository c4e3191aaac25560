import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { landingPage } from "./landing-page.js";

/**
 * Serves the built web app (Vite's output) when it exists, else the landing page that says how
 * to reach the API. Returns whether the app is served.
 */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<boolean> {
  if (!existsSync(join(webRoot, "index.html"))) {
    await app.register(landingPage);
    return false;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    cacheControl: false,
    setHeaders(response, path) {
      // Vite puts a content hash in every asset's name, so those never change; index.html names
      // the current ones and must be revalidated on each visit.
      response.setHeader("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return true;
}

/**
 * Pages of the app have their own paths (/event/<id>, /my-bookings): a browser opening one
 * gets index.html and the app routes in the page. Requests that are not page navigations
 * (fetch, curl) get a JSON 404 like every other API error.
 */
export function notFoundHandler(webAppServed: boolean) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    if (webAppServed && isPageNavigation(request)) return reply.sendFile("index.html");
    return reply.status(404).send({ error: { code: "NotFound", message: `no such path: ${request.method} ${request.url.split("?")[0]}` } });
  };
}

function isPageNavigation(request: FastifyRequest): boolean {
  return (request.method === "GET" || request.method === "HEAD") && (request.headers.accept ?? "").includes("text/html");
}
