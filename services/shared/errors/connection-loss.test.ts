import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { isConnectionLoss } from "./connection-loss.js";
import { toConnectError } from "./to-connect-error.js";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("connection loss", () => {
  it("tells a dependency that is down or restarting from a fault in the code", () => {
    expect(isConnectionLoss(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isConnectionLoss(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isConnectionLoss(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isConnectionLoss(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionLoss(new Error('select * from "payments" where "user_id" = $1 limit $2 - Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("Knex: Timeout acquiring a connection."), { name: "KnexTimeoutError" }))).toBe(true);
    expect(isConnectionLoss(new Error("booking failed", { cause: withCode("read ECONNRESET", "ECONNRESET") }))).toBe(true);

    expect(isConnectionLoss(withCode('duplicate key value violates unique constraint "x"', "23505"))).toBe(false);
    expect(isConnectionLoss(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });

  it("answers UNAVAILABLE for a lost connection and INTERNAL for the rest", () => {
    expect(toConnectError(withCode("the database system is in recovery mode", "57P03")).code).toBe(Code.Unavailable);
    expect(toConnectError(new TypeError("boom")).code).toBe(Code.Internal);
  });
});
