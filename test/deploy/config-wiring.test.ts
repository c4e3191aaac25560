import { describe, expect, it } from "vitest";
import { loadBookingConfig } from "../../services/booking/config.js";
import { loadCatalogConfig } from "../../services/catalog/config.js";
import { loadEdgeConfig } from "../../services/edge/config.js";
import { loadIndexerConfig } from "../../services/indexer/config.js";
import { loadQueueConfig } from "../../services/queue/config.js";
import { loadSearchConfig } from "../../services/search/config.js";
import { requireService } from "../support/real-services.js";
import { containerEnvironment as environmentWith } from "./container-environment.js";
import { PROCESSES, RENDER_NAMES, TOOLCHAIN, named, rendered, toolchainInstalled, type K8sObject, type Process } from "./rendered-manifests.js";

const ready = requireService(TOOLCHAIN, toolchainInstalled());

// Stand-ins for the Secrets an operator creates (docs/deploy.md, "Secrets"): the shapes the real
// ones have, so the services' own config loaders can judge the rendered environment.
const SECRETS: Record<string, string> = {
  "boxoffice-pg-app/uri": "postgresql://boxoffice:generated@boxoffice-pg-rw.boxoffice:5432/boxoffice",
  "boxoffice-redis/password": "0123456789abcdef0123456789abcdef",
  "boxoffice-auth/dev-secret": "fedcba9876543210fedcba9876543210",
  "boxoffice-paging/secret": "00112233445566778899aabbccddeeff",
  "boxoffice-stripe/secret-key": "sk_live_0123456789abcdefABCDEF",
  "boxoffice-stripe/webhook-secret": "whsec_0123456789abcdefABCDEF",
  "boxoffice-stripe/publishable-key": "pk_live_0123456789abcdefABCDEF",
  // RFC 7515's example P-256 key, in the shape scripts/queue/admission-key.ts prints (with a kid)
  "boxoffice-queue-admission/signing-jwk": JSON.stringify({
    kty: "EC",
    crv: "P-256",
    kid: "admission-2026-12-03",
    x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
  }),
};

const containerEnvironment = (objects: K8sObject[], workload: K8sObject) => environmentWith(objects, workload, SECRETS);

const STRIPE_SECRETS = new Set(["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY"]);
const bookingProvider = (objects: K8sObject[]) => containerEnvironment(objects, named(objects, "Deployment", "boxoffice-booking")).PAYMENTS_PROVIDER;

type Loader = (env: Record<string, string | undefined>) => unknown;

/** Each process's own typed config (services/<name>/config.ts), the judge of what it is given. */
const LOADERS: Record<Process, Loader> = {
  catalog: loadCatalogConfig,
  search: loadSearchConfig,
  booking: loadBookingConfig,
  queue: loadQueueConfig,
  edge: loadEdgeConfig,
  indexer: loadIndexerConfig,
};

/** Runs the loader over `env` and records every variable it reads. */
function readsOf(load: Loader, env: Record<string, string>): { read: Set<string>; error?: unknown } {
  const read = new Set<string>();
  const watched = new Proxy(env, {
    get(target, key) {
      if (typeof key === "string") read.add(key);
      return Reflect.get(target, key);
    },
  });
  try {
    load(watched);
    return { read };
  } catch (error) {
    return { read, error };
  }
}

describe.skipIf(!ready)("every setting of the typed configs is wired from a ConfigMap or a Secret", () => {
  for (const render of RENDER_NAMES) {
    describe(render, () => {
      for (const process of PROCESSES) {
        it(`${process}: the rendered environment passes services/${process}/config.ts and sets every variable it reads`, () => {
          const objects = rendered(render);
          const env = containerEnvironment(objects, named(objects, "Deployment", `boxoffice-${process}`));
          const { read, error } = readsOf(LOADERS[process], env);
          expect(error).toBeUndefined();
          expect(read.size).toBeGreaterThan(0);
          // AUTH_JWKS_URL means nothing in dev mode (and an empty URL would not parse)
          // STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET mean nothing while booking runs the simulator
          // PAYMENTS_SIMULATED_FAULTS_FILE is the chaos run's fault switch, never a cluster's
          const stripe = bookingProvider(objects) === "stripe";
          const unset = [...read].filter(
            (name) =>
              env[name] === undefined &&
              !(name === "AUTH_JWKS_URL" && env.AUTH_MODE === "dev") &&
              !(STRIPE_SECRETS.has(name) && !stripe) &&
              name !== "PAYMENTS_SIMULATED_FAULTS_FILE",
          );
          expect(unset, "settings left to the code's defaults").toEqual([]);
          expect(Object.values(env).join(" "), "an unexpanded $(VAR)").not.toMatch(/\$\(/);
        });
      }

      it("the migration Job gets the database URL and the shared settings", () => {
        const objects = rendered(render);
        const env = containerEnvironment(objects, named(objects, "Job", "boxoffice-migrate"));
        expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
        expect(env.LOG_LEVEL).toBeDefined();
      });

      it("production takes real payments through Stripe, with its keys on booking and the webhook secret and publishable key on the edge; development the test cards", () => {
        const objects = rendered(render);
        const booking = containerEnvironment(objects, named(objects, "Deployment", "boxoffice-booking"));
        const edge = containerEnvironment(objects, named(objects, "Deployment", "boxoffice-edge"));
        if (render === "kustomize prod" || render === "helm defaults") {
          expect(booking).toMatchObject({ PAYMENTS_PROVIDER: "stripe", STRIPE_SECRET_KEY: expect.stringMatching(/^sk_/), STRIPE_WEBHOOK_SECRET: expect.stringMatching(/^whsec_/) });
          expect(edge.STRIPE_WEBHOOK_SECRET).toBe(booking.STRIPE_WEBHOOK_SECRET);
          // The web app's checkout follows: Stripe.js under the account's publishable key.
          expect(edge.STRIPE_PUBLISHABLE_KEY).toMatch(/^pk_/);
        } else {
          expect(booking.PAYMENTS_PROVIDER).toBe("simulated");
          expect(edge.STRIPE_WEBHOOK_SECRET).toBeUndefined();
          // No publishable key: the web app shows its test-card form, which the simulator takes.
          expect(edge.STRIPE_PUBLISHABLE_KEY).toBeUndefined();
        }
      });

      it("production verifies tokens against the identity provider; development mints its own", () => {
        const objects = rendered(render);
        const env = containerEnvironment(objects, named(objects, "Deployment", "boxoffice-edge"));
        if (render === "kustomize prod" || render === "helm defaults") {
          expect(env.AUTH_MODE).toBe("jwks");
          expect(env.AUTH_JWKS_URL).toMatch(/^https:\/\//);
        } else {
          expect(env.AUTH_MODE).toBe("dev");
        }
      });
    });
  }

  it("the wiring check notices a setting that is left out", () => {
    const load = LOADERS.booking;
    const objects = rendered("kustomize prod");
    const env = containerEnvironment(objects, named(objects, "Deployment", "boxoffice-booking"));
    delete env.BOOKING_HOLD_TTL_SECONDS;
    const { read } = readsOf(load, env);
    expect([...read].filter((name) => env[name] === undefined)).toContain("BOOKING_HOLD_TTL_SECONDS");
    env.REDIS_LOCK_URLS = "not-a-url";
    expect(readsOf(load, env).error).toBeDefined();
  });
});
