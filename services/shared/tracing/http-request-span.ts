import { trace } from "@opentelemetry/api";

/**
 * Names the incoming request's server span (started by the http instrumentation, which knows
 * only the method) by the route that matched, and tags it with the request id the logs carry,
 * so a trace and its log lines find each other.
 */
export function describeRequestSpan(method: string, route: string | undefined, requestId: string): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  if (route) {
    span.updateName(`${method} ${route}`);
    span.setAttribute("http.route", route);
  }
  span.setAttribute("boxoffice.request_id", requestId);
}
