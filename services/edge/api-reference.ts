import { createRequire } from "node:module";
import { dirname } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import openApiDocument from "../../gen/openapi/boxoffice.openapi.json" with { type: "json" };
import { sendCacheable } from "./http-caching.js";

/** Swagger UI's files come from the swagger-ui-dist package, served by the edge itself: no CDN. */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSETS = "/docs/api/assets/";
const SERVED_ASSETS = new Set(["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"]);

const DOCUMENT = JSON.stringify(openApiDocument);

// The page's own script is a file, not inline, so the edge's CSP (script-src 'self') holds.
// validatorUrl null: Swagger UI would otherwise send the document to swagger.io to be checked.
const INITIALIZER = `window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>boxoffice API reference</title>
<link rel="icon" type="image/png" href="${ASSETS}favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS}swagger-ui.css">
</head><body>
<div id="swagger-ui"></div>
<script src="${ASSETS}swagger-ui-bundle.js"></script>
<script src="${ASSETS}init.js"></script>
</body></html>
`;

/**
 * The edge's OpenAPI description (gen/openapi, generated from the contracts) at /openapi.json,
 * and a browsable reference of it at /docs/api. Both sit outside the API's gate: they describe
 * the API, they are not calls to it.
 */
export async function apiReferenceRoutes(app: FastifyInstance): Promise<void> {
  app.get("/openapi.json", async (request, reply) => sendCacheable(request, reply.type("application/json; charset=utf-8"), DOCUMENT, "no-cache"));
  app.get("/docs/api", async (_request, reply) => reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(PAGE));
  app.get(`${ASSETS}init.js`, async (_request, reply) => reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache").send(INITIALIZER));
  await app.register(fastifyStatic, {
    root: SWAGGER_UI_DIR,
    prefix: ASSETS,
    decorateReply: false,
    index: false,
    // The package's version names its files' content only loosely: revalidate, by ETag.
    cacheControl: false,
    setHeaders: (response) => response.setHeader("cache-control", "no-cache"),
    allowedPath: (path) => SERVED_ASSETS.has(path.replace(/^\//, "")),
  });
}
