import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/**
 * Retries a call once when the service was unavailable (a pod going away, a connection reset),
 * but only calls declared side-effect free in the proto (GetEvent, SearchEvents, GetBooking,
 * ListMyBookings). Anything else may have taken effect before the error: ReserveTickets has no
 * idempotency key, and ConfirmBooking's key is the browser's to resend. The retry runs under
 * the same deadline as the first attempt.
 */
export function retryReadsOnce(): Interceptor {
  return (next) => async (request) => {
    if (request.stream || request.method.idempotency !== MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS) return next(request);
    try {
      return await next(request);
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unavailable || request.signal.aborted) throw error;
      return next(request);
    }
  };
}
