import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "../../services/shared/logging/logger.js";

export type LogRecord = Record<string, unknown>;

/** A pino logger whose JSON lines land, parsed, in records: what a service would print. */
export function capturedLogger(level = "info"): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) records.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  return { logger: pino({ level, base: { service: "test" } }, sink), records };
}
