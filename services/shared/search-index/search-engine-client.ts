import { Client } from "@opensearch-project/opensearch";
import type { DependencyProbe } from "../health/dependency-monitor.js";

export interface SearchEngineSettings {
  url: string;
  /** Per request; the breaker in front of the search path has its own, shorter, timeout. */
  requestTimeoutMs?: number;
}

/** The official OpenSearch client (the Elasticsearch client refuses OpenSearch servers). */
export function createSearchEngineClient({ url, requestTimeoutMs = 30_000 }: SearchEngineSettings): Client {
  return new Client({ node: url, requestTimeout: requestTimeoutMs, maxRetries: 0 });
}

/** Answers while the cluster is reachable and not red. */
export function searchEngineProbe(client: Client, critical: boolean): DependencyProbe {
  return {
    name: "search-engine",
    critical,
    async check() {
      const { body } = await client.cluster.health({ timeout: "2s" });
      if (body.status === "red") throw new Error("search engine cluster is red");
    },
  };
}
