import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { createValidateInterceptor } from "@connectrpc/validate";
import { createRegistry } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import { file_boxoffice_common_v1_rules } from "../../../gen/boxoffice/common/v1/rules_pb.js";
import type { Logger } from "../logging/logger.js";
import type { ProcessMetrics } from "../metrics/metrics.js";
import { toConnectError } from "../errors/to-connect-error.js";
import { readableValidationError } from "./readable-violations.js";
import { REQUEST_ID_HEADER } from "./request-id-header.js";

// The edge only forwards ids it accepted; other callers could send anything, so bound the size.
const REQUEST_ID_MAX_LENGTH = 128;
const HEALTH_SERVICE = "grpc.health.v1.Health";

/**
 * Logs one line per RPC, with the request id the edge forwarded (the key fastify uses on the
 * edge's own lines, so one search finds both), and records its duration; server errors are
 * logged with their cause.
 */
export function observeInterceptor(logger: Logger, metrics: ProcessMetrics): Interceptor {
  return (next) => async (request) => {
    const labels = { service: request.service.typeName, method: request.method.name };
    const reqId = request.header.get(REQUEST_ID_HEADER)?.slice(0, REQUEST_ID_MAX_LENGTH);
    metrics.rpcInFlight.inc(labels);
    const started = performance.now();
    const finish = (code: Code | 0) => {
      const seconds = (performance.now() - started) / 1000;
      metrics.rpcDuration.observe({ ...labels, code: code === 0 ? "OK" : Code[code] }, seconds);
      return Math.round(seconds * 1000 * 10) / 10;
    };
    try {
      const response = await next(request);
      const ms = finish(0);
      // Probes ask every few seconds for as long as a process lives: at info they would bury the calls people make.
      logger[labels.service === HEALTH_SERVICE ? "debug" : "info"]({ rpc: `${labels.service}/${labels.method}`, reqId, ms }, "rpc ok");
      return response;
    } catch (error) {
      const connectError = ConnectError.from(error);
      const ms = finish(connectError.code);
      const serverFault = [Code.Internal, Code.Unknown, Code.DataLoss, Code.Unavailable].includes(connectError.code);
      logger[serverFault ? "error" : "info"](
        { rpc: `${labels.service}/${labels.method}`, reqId, ms, code: Code[connectError.code], err: serverFault ? error : undefined },
        connectError.rawMessage,
      );
      throw error;
    }
  };
}

/** Turns domain errors into Connect errors; unexpected errors become INTERNAL without leaking. */
export function domainErrorInterceptor(): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      const connectError = toConnectError(error);
      if (connectError.code === Code.Internal && !(error instanceof ConnectError)) {
        throw new ConnectError("internal error", Code.Internal, undefined, undefined, error);
      }
      throw connectError;
    }
  };
}

// Compiling protovalidate's CEL rules is costly: one validator for the whole process.
let sharedValidator: ReturnType<typeof createValidator> | undefined;

/**
 * protovalidate rules from the protos, enforced on every request before a handler runs; a
 * refusal names each field as the caller sent it (readable-violations.ts).
 */
export function validationInterceptor(): Interceptor {
  // The registry knows our predefined rules (common/v1/rules.proto); without it they fail to compile.
  sharedValidator ??= createValidator({ registry: createRegistry(file_boxoffice_common_v1_rules) });
  const validate = createValidateInterceptor({ validator: sharedValidator });
  return (next) => {
    const validated = validate(next);
    return async (request) => {
      try {
        return await validated(request);
      } catch (error) {
        throw readableValidationError(error) ?? error;
      }
    };
  };
}

export function standardInterceptors(logger: Logger, metrics: ProcessMetrics): Interceptor[] {
  return [observeInterceptor(logger, metrics), domainErrorInterceptor(), validationInterceptor()];
}
