import type { FastifyInstance } from "fastify";

/**
 * What / shows until the web app is built into web/dist: where the API is, so a newcomer who
 * opens the printed address is not met by a 404.
 */
export async function landingPage(app: FastifyInstance): Promise<void> {
  app.get("/", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>boxoffice</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
<h1>boxoffice</h1>
<p>The platform is running. The browser app is not built yet; the API answers here:</p>
<ul>
<li><a href="/events/search?term=tayl">GET /events/search?term=tayl</a> (term, location, date, type, lat, lon, radiusKm, from, to, sort, pageSize, pageToken)</li>
<li>GET /events/{eventId}: an event with venue, performers and every ticket's live status</li>
<li>POST /auth/token {"userId":"alice"}, then GET /bookings with Authorization: Bearer &lt;token&gt;</li>
<li>Connect: POST /boxoffice.search.v1.SearchService/SearchEvents {"term":"jazz"}</li>
<li><a href="/docs/api">/docs/api</a>: the API reference (<a href="/openapi.json">/openapi.json</a>, OpenAPI 3.1)</li>
<li><a href="/healthz">/healthz</a> (metrics: the admin port, /metrics)</li>
</ul>
</body></html>`),
  );
}
