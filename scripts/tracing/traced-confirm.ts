/**
 * What both trace screenshots need before they look at a viewer: catalog, search, booking and the
 * edge as separate processes against the real PostgreSQL and Redis (a database of their own),
 * exporting spans as `tracingEnv` says, and one search → reserve → confirm through the edge with
 * a browser's traceparent. `look` gets the confirm's trace id while the processes still run;
 * everything is stopped and dropped afterwards, whatever `look` does.
 */
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { searchReserveConfirm } from "../../test/support/confirm-through-edge.js";
import { createTestDatabase } from "../../test/support/real-services.js";
import { spawnPlatform } from "../../test/support/spawned-platform.js";

const devSecret = "trace-screenshot-secret-0123456789";

export async function withTracedConfirm(tracingEnv: Record<string, string>, look: (traceId: string) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    await seedDemoData(database.db, { events: 6 });
    // Each process under its own name; short batches so the trace is complete soon after the confirm.
    const platform = await spawnPlatform({ databaseUrl: database.url, devSecret, extraEnv: (service) => ({ ...tracingEnv, OTEL_SERVICE_NAME: service, OTEL_BSP_SCHEDULE_DELAY: "200" }) });
    try {
      const token = await createDevTokenIssuer({ mode: "dev", devSecret, issuer: "boxoffice-dev", audience: "boxoffice" })("tracer");
      const confirm = await searchReserveConfirm(`http://${platform.address("edge")}`, database.db, token);
      if (confirm.response.status !== 200) throw new Error(`confirm answered ${confirm.response.status}: ${await confirm.response.text()}`);
      await look(confirm.traceId);
    } finally {
      await platform.stop();
    }
  } finally {
    await database.drop();
  }
}
