import { request } from "node:http";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { callerGone } from "./upstream-call-options.js";

// A real HTTP server on loopback: what ends a response is the socket, not a mock of it.
describe("callerGone: a REST route's signal that its caller has left", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  async function serve(handle: (signal: AbortSignal, closed: Promise<void>) => Promise<unknown>) {
    app = Fastify();
    app.get("/work", async (_request, reply) => {
      const closed = new Promise<void>((resolve) => reply.raw.once("close", () => resolve()));
      return handle(callerGone(reply), closed);
    });
    return app.listen({ host: "127.0.0.1", port: 0 });
  }

  it("aborts when the caller disconnects before the answer", async () => {
    let entered!: () => void;
    const reached = new Promise<void>((resolve) => (entered = resolve));
    let observed!: Promise<unknown>;
    const url = await serve((signal) => {
      observed = new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));
      entered();
      return observed;
    });
    // The caller's connection ends while the route works, as a closed tab's would.
    const caller = request(`${url}/work`);
    caller.on("error", () => undefined);
    caller.end();
    await reached;
    caller.destroy();
    expect(String(await observed)).toMatch(/closed the connection before its answer/);
  });

  it("stays quiet for a request answered in full", async () => {
    let seen!: AbortSignal;
    let responseClosed!: Promise<void>;
    const url = await serve(async (signal, closed) => {
      seen = signal;
      responseClosed = closed;
      return { ok: true };
    });
    expect(await (await fetch(`${url}/work`)).json()).toEqual({ ok: true });
    await responseClosed;
    expect(seen.aborted).toBe(false);
  });
});
