import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlatformConfig } from "../../services/platform/config.js";
import { startEmbeddedPlatform } from "../../services/platform/embedded-platform.js";
import { pino } from "pino";
import { seedFuzzData, type FuzzData } from "./fuzz-examples.js";

export interface FuzzTarget {
  baseUrl: string;
  /** A dev token with the admin role, so the admin RPCs are fuzzed past the door too. */
  token: string;
  /** An event, a booking and a reservation of the fuzzer's user, to look up. */
  data: FuzzData;
  close(): Promise<void>;
}

/**
 * The embedded default as `npm start` runs it (PGlite on a data folder of its own, demo data,
 * dev sign-in), on free loopback ports, with rate limits out of the fuzzer's way: a 429 is a
 * documented answer, but a run spent on them tests nothing else.
 */
export async function startFuzzTarget(logFile: string, demoEvents = 20): Promise<FuzzTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), "boxoffice-fuzz-"));
  const config = loadPlatformConfig({
    PORT: "0",
    CATALOG_PORT: "0",
    SEARCH_PORT: "0",
    BOOKING_PORT: "0",
    // The queue and the admin port too: left at their defaults (50054, 9100) they collided with
    // any platform already running on the machine (EADDRINUSE, the run failed before fuzzing).
    QUEUE_PORT: "0",
    ADMIN_PORT: "0",
    BOXOFFICE_DATA_DIR: dataDir,
    DEMO_EVENTS: String(demoEvents),
    EDGE_RATE_LIMIT_PER_IP: "1000000",
    EDGE_RATE_LIMIT_PER_USER: "1000000",
    EDGE_WEB_ROOT: join(dataDir, "no-web-app"),
  });
  // Every request and every error of the run, to find the cause of a 500 the fuzzer reports.
  const logger = pino({ level: "info", base: { service: "fuzz-target" } }, pino.destination({ dest: logFile, sync: true, mkdir: true }));
  const platform = await startEmbeddedPlatform(config, logger);
  const close = async () => {
    await platform.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${platform.edgePort}`;
  try {
    const response = await fetch(`${baseUrl}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "fuzzer", roles: ["buyer", "admin"] }),
    });
    const { token } = (await response.json()) as { token: string };
    return { baseUrl, token, data: await seedFuzzData(baseUrl, token), close };
  } catch (error) {
    await close();
    throw error;
  }
}
