import { freePort, spawnEntryPoint, type SpawnedService } from "../../support/spawned-service.js";

export interface IndexerProcess extends SpawnedService {
  adminUrl: string;
  /** Resolves once /readyz answers 200: an index exists and the stream is followed. */
  ready(timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/** The indexer as its own process (`node --import tsx services/indexer/main.ts`), as it runs in production. */
export async function startIndexerProcess(env: Record<string, string>): Promise<IndexerProcess> {
  const adminPort = await freePort();
  const spawned = spawnEntryPoint("services/indexer/main.ts", {
    INDEXER_ADMIN_PORT: String(adminPort),
    INDEXER_BATCH_MAX_WAIT_MS: "20",
    SEARCH_INDEX_REFRESH_INTERVAL: "100ms",
    ...env,
  });
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  return {
    ...spawned,
    adminUrl,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (spawned.process.exitCode !== null) throw new Error(`the indexer exited:\n${spawned.output()}`);
        const status = await fetch(`${adminUrl}/readyz`).then((response) => response.status, () => 0);
        if (status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the indexer did not become ready:\n${spawned.output()}`);
    },
    async kill() {
      spawned.process.kill("SIGKILL");
      await spawned.exited;
    },
  };
}
