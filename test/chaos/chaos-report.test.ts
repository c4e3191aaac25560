import { describe, expect, it } from "vitest";
import type { FaultEvent, Operation } from "../../chaos/history.js";
import { faultTable, labelOf } from "../../chaos/report.js";
import { searchRows } from "../../chaos/search-report.js";

let nextId = 1;
const op = (fields: Partial<Operation> & Pick<Operation, "op" | "invokeAt">): Operation => ({ id: nextId++, client: "c", user: "c", completeAt: fields.invokeAt + 10, outcome: "ok", status: 200, ticketIds: [], ...fields });

describe("chaos fault table", () => {
  it("names a Redis restart by how the master kept its holds, and a network fault by its link", () => {
    const at = { target: "x", startAt: 0, endAt: 1 };
    expect(labelOf({ kind: "restart-redis", ...at, persistence: "aof-always" })).toMatch(/restarted at once from its AOF/);
    expect(labelOf({ kind: "restart-redis", ...at, persistence: "none-delayed" })).toMatch(/restarted empty after a hold TTL/);
    expect(labelOf({ kind: "restart-redis", ...at })).toMatch(/restarted empty at once/);
    expect(labelOf({ kind: "redis-partition", ...at })).toBe("one Redis master's link partitioned");
    expect(labelOf({ kind: "postgres-latency", ...at })).toMatch(/latency on PostgreSQL's link/);
  });

  it("counts reserves answered without a hold and the answer times per fault; an unanswered request has no time", () => {
    const faults: FaultEvent[] = [{ kind: "redis-partition", target: "redis-0 link", startAt: 10_000, endAt: 12_000 }];
    const history = [
      op({ op: "reserve", invokeAt: 1_000, held: true }),
      op({ op: "reserve", invokeAt: 10_500, held: false, completeAt: 10_600 }),
      op({ op: "confirm", invokeAt: 11_000, completeAt: 13_000 }),
      op({ op: "confirm", invokeAt: 11_500, completeAt: 19_500, outcome: "unknown", status: 0 }),
    ];
    const [steady, partition] = faultTable(history, faults, []);
    expect(steady).toMatchObject({ fault: "none (steady load)", operations: 1, degraded: 0, p50Ms: 10, p99Ms: 10 });
    expect(partition).toMatchObject({ fault: "one Redis master's link partitioned", injected: 1, operations: 3, ok: 2, noAnswer: 1, degraded: 1, p50Ms: 100, p99Ms: 2_000 });
  });

  it("names the search table's rows as the fault table does: a Redis restart by how the master kept its holds", () => {
    const restart: FaultEvent = { kind: "restart-redis", target: "redis-1", startAt: 10_000, endAt: 11_000, persistence: "aof-always" };
    const history = [op({ op: "search", invokeAt: 10_500, backend: "opensearch" })];
    const [, during] = searchRows(history, [restart]);
    expect(during).toMatchObject({ during: faultTable(history, [restart], [])[1]!.fault, searches: 1 });
    expect(during!.during).toMatch(/restarted at once from its AOF/);
  });
});
