import { describe, expect, it } from "vitest";
import { loadEdgeConfig } from "./config.js";

const target = (value: string | undefined) => loadEdgeConfig({ BOOKING_SERVICE_ADDR: value }).BOOKING_SERVICE_ADDR;

describe("BOOKING_SERVICE_ADDR", () => {
  it("pins one address, as before, and balances a headless Service or a list of replicas", () => {
    expect(target(undefined)).toEqual({ target: "127.0.0.1:50053", balanced: false });
    expect(target("booking:50053")).toEqual({ target: "booking:50053", balanced: false });
    expect(target("dns:///booking-headless.shop.svc.cluster.local:50053")).toEqual({ target: "dns:///booking-headless.shop.svc.cluster.local:50053", balanced: true });
    expect(target("127.0.0.1:50053, 127.0.0.1:50054")).toEqual({ target: "ipv4:127.0.0.1:50053,127.0.0.1:50054", balanced: true });
    expect(target("[::1]:50053,[::1]:50054")).toEqual({ target: "ipv6:[::1]:50053,[::1]:50054", balanced: true });
  });

  it("refuses a list of host names, which grpc-js cannot resolve as one target", () => {
    expect(() => target("booking-0:50053,booking-1:50053")).toThrow(/headless Service/);
    expect(() => target("127.0.0.1:50053,[::1]:50054")).toThrow(/one family/);
  });
});
