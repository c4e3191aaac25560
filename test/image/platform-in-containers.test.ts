import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { generateAdmissionSigningKey } from "../../services/shared/admission/admission-keys.js";
import { containerEnvironment, type SecretValues } from "../deploy/container-environment.js";
import { PROCESSES, TOOLCHAIN, named, rendered, toolchainInstalled, type RenderName } from "../deploy/rendered-manifests.js";
import { dropReplicationSlots, removeIndices, searchEngineClient, uniqueAlias, uniqueSlot } from "../search/support/search-engine-fixture.js";
import { whereOnSale } from "../support/on-sale-events.js";
import {
  createTestDatabase,
  postgresAvailable,
  redisAvailable,
  redisLockUrls,
  requireService,
  searchEngineAvailable,
  searchEngineUrl,
  type TestDatabase,
} from "../support/real-services.js";
import { eventually } from "../support/spawned-service.js";
import { deploymentOf, localPod, planPorts, type Endpoints, type LocalPodOptions } from "./local-pod.js";
import { runToCompletion, startPodContainer, type PodContainer } from "./pod-container.js";
import { IMAGE, imageRequirement } from "./podman.js";
import { untilProbeSucceeds } from "./probes.js";

// The platform as a cluster would run it, but from the image on this machine: the migration Job,
// then catalog, search, booking, the queue, the edge and the indexer, each a container of the image started
// with its Deployment's args, environment, securityContext and volumes from the rendered chart
// (test/image/local-pod.ts says what is moved and why), against the real PostgreSQL, Redis and
// search engine. Kubernetes' probes decide when each is up; a buyer goes through the edge; the
// kubelet's termination (preStop, SIGTERM, SIGKILL at the grace period) ends each container.

const QUEUE_REDIS_URL = process.env.QUEUE_REDIS_URL;
/** The admission key an operator makes with scripts/queue/admission-key.ts. */
const SIGNING_JWK = JSON.stringify((await generateAdmissionSigningKey(`image-e2e-${randomBytes(4).toString("hex")}`)).privateJwk);

const ready =
  requireService(...imageRequirement()) &&
  requireService(TOOLCHAIN, toolchainInstalled(), "bash scripts/k8s/install-tools.sh") &&
  requireService("PostgreSQL", await postgresAvailable()) &&
  requireService("Redis (3 lock nodes)", await redisAvailable()) &&
  requireService("the queue's Redis (QUEUE_REDIS_URL)", QUEUE_REDIS_URL !== undefined && (await redisAvailable([QUEUE_REDIS_URL]))) &&
  requireService("search engine", await searchEngineAvailable());

/** The developer installation (AUTH_MODE=dev, so the edge signs a buyer in); the kustomize one must agree. */
const RENDER: RenderName = "helm ci/dev-values";
const KUSTOMIZE: RenderName = "kustomize dev";

const hostPort = (url: string) => new URL(url).host;
const CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" };

describe.skipIf(!ready)(`the platform from the image ${IMAGE}, in containers, as the chart runs it`, () => {
  const prefix = `boxoffice-e2e-${randomBytes(4).toString("hex")}`;
  const alias = uniqueAlias("image-e2e");
  const search = searchEngineClient();
  let database: TestDatabase;
  let options: LocalPodOptions;
  const containers: PodContainer[] = [];
  const edgeUrl = () => `http://127.0.0.1:${containers.find(({ pod }) => pod.name === "edge")!.pod.port("http")}`;

  /** The stand-ins for the Secrets an operator creates (docs/deploy.md): local values. */
  const secrets = (databaseUrl: string): SecretValues => ({
    "boxoffice-pg-app/uri": databaseUrl,
    "boxoffice-redis/password": decodeURIComponent(new URL(redisLockUrls()[0]!).password),
    "boxoffice-auth/dev-secret": randomBytes(16).toString("hex"),
    "boxoffice-paging/secret": randomBytes(16).toString("hex"),
    "boxoffice-queue-admission/signing-jwk": SIGNING_JWK,
  });

  /** The stateful dependencies' in-cluster addresses, pointed at the shared local servers. */
  const dependencies = (): Endpoints => ({
    ...Object.fromEntries(redisLockUrls().map((url, i) => [`boxoffice-redis-locks-${i}.boxoffice-redis-locks:6379`, hostPort(url)])),
    // a logical database of the cache's own: demo ids repeat from seed to seed, and other suites
    // cache the same event ids on the same server
    "boxoffice-redis-cache:6379": `${hostPort(redisLockUrls()[0]!)}/${1 + (randomBytes(1)[0]! % 15)}`,
    "boxoffice-search-engine:9200": hostPort(searchEngineUrl()),
    // likewise a logical database of the queue's own: its worker steps every queue the server
    // holds, and other suites open queues for the same demo ids
    "boxoffice-queue-redis-0.boxoffice-queue-redis:6379": `${hostPort(QUEUE_REDIS_URL!)}/${1 + (randomBytes(1)[0]! % 15)}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await Promise.all(containers.map((container) => container.remove()));
    await removeIndices(search, alias);
    await search.close();
    if (database) {
      await dropReplicationSlots(database.db).catch(() => undefined);
      await database.drop();
    }
  });

  it("the chart and the kustomize overlay give every process the same environment", () => {
    const stand = secrets("postgres://boxoffice:secret@db:5432/boxoffice");
    for (const process of PROCESSES) {
      const fromChart = containerEnvironment(rendered(RENDER), deploymentOf(rendered(RENDER), process), stand);
      const fromKustomize = containerEnvironment(rendered(KUSTOMIZE), deploymentOf(rendered(KUSTOMIZE), process), stand);
      expect(fromChart, process).toEqual(fromKustomize);
    }
  });

  it("the migration Job migrates an empty database from the image", async () => {
    options = { secrets: secrets(database.url), endpoints: dependencies(), isolate: { SEARCH_INDEX_ALIAS: alias, INDEXER_SLOT: uniqueSlot("image_e2e") } };
    const objects = rendered(RENDER);
    const job = localPod(objects, named(objects, "Job", "boxoffice-migrate"), new Map(), options);
    const { exitCode, logs } = await runToCompletion(job, prefix);
    expect(exitCode, logs).toBe(0);
    expect(logs).toMatch(/"msg":"migrated"/);
    await seedDemoData(database.db, { events: 6 });
  });

  it("catalog, search, booking, the queue, the edge and the indexer start from the image and pass their probes", async () => {
    const objects = rendered(RENDER);
    const workloads = PROCESSES.map((process) => deploymentOf(objects, process));
    const { ports, endpoints } = await planPorts(objects, workloads);
    const pods = workloads.map((workload) => localPod(objects, workload, ports.get(workload)!, { ...options, endpoints: { ...options.endpoints, ...endpoints } }));
    const started = Date.now();
    containers.push(...(await Promise.all(pods.map((pod) => startPodContainer(pod, prefix)))));
    await Promise.all(
      containers.map(async (container) => {
        // a process that stops (a setting it refuses, a script the image lacks) fails at once,
        // not when the startup probe gives up a minute later
        const died = container.exited.then((code) => Promise.reject(new Error(`${container.pod.name} exited with status ${code} before it was ready`)));
        died.catch(() => undefined); // a later exit is the termination test's business
        try {
          await Promise.race([
            died,
            (async () => {
              await untilProbeSucceeds(container.pod, "startupProbe");
              await untilProbeSucceeds(container.pod, "readinessProbe");
              await untilProbeSucceeds(container.pod, "livenessProbe");
            })(),
          ]);
          console.log(`[image e2e] ${container.pod.name}: started and ready after ${((Date.now() - started) / 1_000).toFixed(1)} s`);
        } catch (error) {
          throw new Error(`${(error as Error).message}\n--- ${container.name} log\n${(await container.logs()).slice(-3_000)}`);
        }
      }),
    );
  }, 180_000);

  it("a buyer searches, views, reserves and confirms through the containerized edge", async () => {
    const [event] = await whereOnSale(database.db("events")).where({ high_demand: false }).orderBy("starts_at").select("id", "name").limit(1);
    const term = (event.name as string).split(/\s+/)[0]!;
    // Demo ids repeat from seed to seed and the lock masters are shared: a random seat is nobody else's.
    const [ticket] = await database.db("tickets").where({ event_id: event.id, status: "available" }).orderByRaw("random()").select("id").limit(1);

    // The indexer in its container built the alias from the database; search answers from it.
    await eventually(async () => expect((await search.count({ index: alias })).body.count).toBeGreaterThan(0), 60_000, 500);
    const found = await eventually(async () => {
      const response = await fetch(`${edgeUrl()}/events/search?term=${encodeURIComponent(term)}`);
      expect(response.status).toBe(200);
      const { events } = (await response.json()) as { events: Array<{ id: string }> };
      expect(events.map(({ id }) => id)).toContain(event.id);
      return events;
    }, 30_000, 500);
    console.log(`[image e2e] search "${term}": ${found.length} events, ${event.id} among them`);

    const view = async () => {
      const response = await fetch(`${edgeUrl()}/events/${event.id}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { event: { id: string }; tickets: Array<{ id: string; status: string }> };
      return body.tickets.find(({ id }) => id === ticket.id)?.status;
    };
    expect(await view()).toBe("TICKET_STATUS_AVAILABLE");

    const signIn = await fetch(`${edgeUrl()}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "image-e2e-buyer" }) });
    expect(signIn.status).toBe(200);
    const headers = { "content-type": "application/json", authorization: `Bearer ${((await signIn.json()) as { token: string }).token}` };

    const reserve = await fetch(`${edgeUrl()}/booking/reserve`, { method: "POST", headers, body: JSON.stringify({ eventId: event.id, ticketIds: [ticket.id] }) });
    const { reservation } = (await reserve.json()) as { reservation: { id: string; holdStatus: string } };
    expect(reserve.status).toBe(200);
    expect(reservation.holdStatus).toBe("HOLD_STATUS_HELD");
    expect(await view()).toBe("TICKET_STATUS_RESERVED");

    const confirm = await fetch(`${edgeUrl()}/booking/confirm`, {
      method: "POST",
      headers,
      body: JSON.stringify({ reservationId: reservation.id, idempotencyKey: `image-e2e-${prefix}`, paymentDetails: CARD }),
    });
    const { booking } = (await confirm.json()) as { booking: { id: string; status: string } };
    expect(confirm.status).toBe(200);
    expect(booking.status).toBe("BOOKING_STATUS_CONFIRMED");
    expect(await view()).toBe("TICKET_STATUS_BOOKED");
    console.log(`[image e2e] reserved ${ticket.id} (${reservation.id}), confirmed booking ${booking.id}`);
  }, 120_000);

  it("a buyer of a high-demand event waits in the containerized queue, and booking checks the admission with the queue's keys", async () => {
    // an on-sale event other than the one bought above, made high-demand: booking now asks for admission
    const [event] = await whereOnSale(database.db("events")).where({ high_demand: false }).orderBy("starts_at", "desc").select("id").limit(1);
    await database.db("events").where({ id: event.id }).update({ high_demand: true });
    const [ticket] = await database.db("tickets").where({ event_id: event.id, status: "available" }).orderByRaw("random()").select("id").limit(1);

    const signIn = async (userId: string, roles: string[]) => {
      const response = await fetch(`${edgeUrl()}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles }) });
      expect(response.status).toBe(200);
      return { authorization: `Bearer ${((await response.json()) as { token: string }).token}` };
    };
    const admin = await signIn("image-e2e-admin", ["admin"]);
    const buyer = await signIn(`image-e2e-queued-${prefix}`, ["buyer"]);

    // OpenQueue has no REST path: the edge's Connect route, as the admin console calls it
    const opened = await fetch(`${edgeUrl()}/boxoffice.queue.v1.QueueService/OpenQueue`, {
      method: "POST",
      headers: { ...admin, "content-type": "application/json", "connect-protocol-version": "1" },
      body: JSON.stringify({ eventId: event.id, admissionRatePerMinute: 600 }),
    });
    expect(opened.status, await opened.clone().text()).toBe(200);

    const reserve = (admissionToken?: string) =>
      fetch(`${edgeUrl()}/booking/reserve`, { method: "POST", headers: { ...buyer, "content-type": "application/json" }, body: JSON.stringify({ eventId: event.id, ticketIds: [ticket.id], ...(admissionToken ? { admissionToken } : {}) }) });
    const refused = await eventually(async () => {
      // booking remembers an event's sale facts for BOOKING_RESERVE_EVENT_MEMORY_MS
      const response = await reserve();
      expect(response.status).toBe(403);
      return ((await response.json()) as { error: { message: string } }).error;
    }, 10_000, 250);
    expect(refused.message).toMatch(/waiting room/);

    const joined = await fetch(`${edgeUrl()}/queue/${event.id}/join`, { method: "POST", headers: buyer });
    expect(joined.status, await joined.clone().text()).toBe(200);
    const admitted = await eventually(async () => {
      const response = await fetch(`${edgeUrl()}/queue/${event.id}`, { headers: buyer });
      expect(response.status).toBe(200);
      const { place } = (await response.json()) as { place: { status: string; admissionToken: string } };
      expect(place.status).toBe("PLACE_STATUS_ADMITTED");
      return place;
    }, 30_000, 500);

    const held = await reserve(admitted.admissionToken);
    const { reservation } = (await held.json()) as { reservation: { id: string; holdStatus: string } };
    expect(held.status).toBe(200);
    expect(reservation.holdStatus).toBe("HOLD_STATUS_HELD");
    console.log(`[image e2e] admitted from the queue of ${event.id}; reserved ${ticket.id} with the admission (${reservation.id})`);
  }, 120_000);

  it("SIGTERM drains each container within its grace period", async () => {
    expect(containers).toHaveLength(PROCESSES.length);
    const endings = await Promise.all(containers.map(async (container) => ({ container, ...(await container.terminate()) })));
    for (const { container, exitCode, drainSeconds, graceSeconds } of endings) {
      console.log(`[image e2e] ${container.pod.name}: exit ${exitCode} ${drainSeconds.toFixed(1)} s after SIGTERM (grace ${graceSeconds} s after preStop)`);
      expect(exitCode, `${container.name}\n${(await container.logs()).slice(-2_000)}`).toBe(0);
      expect(drainSeconds).toBeLessThan(graceSeconds);
      // its own shutdown, not a crash that happened to exit 0 (services/shared/server/on-shutdown.ts).
      // podman's log file may lag the exit by a moment, and gives stdout and stderr apart.
      await eventually(async () => {
        const logs = await container.logs();
        expect(logs).toMatch(/"signal":"SIGTERM","msg":"draining"/);
        expect(logs).toMatch(/"msg":"stopped"/);
      }, 5_000, 250);
    }
  }, 120_000);
});
