import type { Knex } from "knex";
import type { DependencyProbe } from "../health/dependency-monitor.js";

/** Every service that reads or writes PostgreSQL cannot serve without it. */
export function databaseProbe(db: Knex): DependencyProbe {
  return { name: "postgres", critical: true, check: async () => void (await db.raw("select 1")) };
}
