import { randomBytes } from "node:crypto";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import type { AdmissionSigningKey } from "../shared/admission/admission-keys.js";
import { authInterceptor } from "../shared/auth/auth-interceptor.js";
import type { TokenVerifier } from "../shared/auth/token-verifier.js";
import type { DependencyProbe } from "../shared/health/dependency-monitor.js";
import type { Logger } from "../shared/logging/logger.js";
import type { ServiceDefinition } from "../shared/server/start-service.js";
import { createAdmissionSigner } from "./adapters/tokens/admission-signer.js";
import { createAdmissionWorker } from "./domain/admission-worker.js";
import type { EventFacts, QueueStore } from "./domain/queue-ports.js";
import { createWaitingRoom, type WaitingRoom } from "./domain/waiting-room.js";
import { createPlaceWatches } from "./place-watches.js";
import { queueRoutes } from "./routes.js";

export interface QueueSettings {
  /** How long an admission lets its buyer reserve and confirm (the token's lifetime). */
  admissionTtlMs: number;
  /** How often the admission worker steps every queue. */
  admitIntervalMs: number;
  /** How often a WatchQueuePosition stream re-reads its place. */
  watchPollMs: number;
}

export interface QueueAdapters {
  store: QueueStore;
  events: EventFacts;
  signingKey: AdmissionSigningKey;
  verifyToken: TokenVerifier;
  settings: QueueSettings;
  logger: Logger;
  now?: () => number;
  /** Uniform in [0, 1); a CSPRNG unless a test fixes it. */
  random?: () => number;
  probes?: DependencyProbe[];
  /** Told after each admission step (queue-metrics.ts). */
  observe?: (eventId: string, step: { admitted: number; waiting: number; soldOut: boolean }) => void;
}

export interface QueueServiceParts {
  definition: ServiceDefinition;
  room: WaitingRoom;
  worker: ReturnType<typeof createAdmissionWorker>;
  /** Steps the admission worker on its interval; returns a stopper. */
  startWorker(): () => void;
  /** Ends every WatchQueuePosition stream; call while draining. */
  endStreams(): void;
}

/** 48 bits from the OS CSPRNG, in [0, 1): no client can predict, so none can pick, its drawn place. */
export const cryptoRandom = () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48;

/** Wires the queue's domain to its adapters; shared by its own main and the embedded platform. */
export function queueService(adapters: QueueAdapters): QueueServiceParts {
  const now = adapters.now ?? Date.now;
  const room = createWaitingRoom({ store: adapters.store, events: adapters.events, admissionTtlMs: adapters.settings.admissionTtlMs, now, random: adapters.random ?? cryptoRandom });
  const worker = createAdmissionWorker({ store: adapters.store, events: adapters.events, now, observe: adapters.observe, admissionTtlMs: adapters.settings.admissionTtlMs });
  const watches = createPlaceWatches(room, adapters.settings.watchPollMs);
  return {
    definition: {
      name: "queue",
      serviceNames: [QueueService.typeName],
      routes: queueRoutes({ room, sign: createAdmissionSigner(adapters.signingKey), watches }),
      interceptors: [authInterceptor(adapters.verifyToken)],
      probes: adapters.probes ?? [],
      adminDocuments: { "/.well-known/jwks.json": () => adapters.signingKey.jwks },
    },
    room,
    worker,
    startWorker() {
      let running = false;
      const timer = setInterval(async () => {
        // A slow step (a slow database) is not stacked on by the next one.
        if (running) return;
        running = true;
        try {
          await worker.stepAll();
        } catch (error) {
          adapters.logger.warn({ err: error }, "admission step failed; the next one retries");
        } finally {
          running = false;
        }
      }, adapters.settings.admitIntervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    endStreams: () => watches.endAll(),
  };
}
