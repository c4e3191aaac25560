import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs, one line per record, with the service name on every line. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["*.card_number", "*.cardNumber", "*.cvc", "*.authorization"], censor: "[redacted]" },
  });
}
