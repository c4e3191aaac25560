import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SERVICES = resolve(import.meta.dirname, "../../services");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/** The service folders a file's relative imports reach, other than its own and shared/. */
function foreignImports(service: string): string[] {
  const root = join(SERVICES, service);
  return sourceFiles(root).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/from\s+"(\.[^"]+)"/g)]
      .map((match) => relative(SERVICES, resolve(file, "..", match[1]!)).split("/")[0]!)
      .filter((folder) => folder !== service && folder !== "shared" && !folder.startsWith(".."))
      .map((folder) => `${relative(SERVICES, file)} → ${folder}/`),
  );
}

describe("the search service and the indexer share code only through services/shared/search-index", () => {
  it.each(["search", "indexer"])("services/%s imports nothing from another service's folder", (service) => {
    expect(foreignImports(service)).toEqual([]);
  });
});
